"use server";
/**
 * The admin page's Server Actions: ban (reason, optional expiry), unban,
 * revoke every session, set the role. Each is a public POST endpoint, so
 * each checks the caller itself (`adminForAction`: the JWT's role), and
 * Better Auth's admin endpoint it calls checks again against the database.
 * The outcome comes back as a fixed notice code on a same-origin redirect.
 */
import { APIError } from "better-auth/api";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { adminForAction } from "@/lib/admin/access";
import { ROLES } from "@/lib/admin/plugin";
import { auth, ensureReady } from "@/lib/auth";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import type { Notice } from "./notices";
import { BAN_DURATIONS } from "./notices";

/** Longest ban reason kept, in characters. */
const MAX_REASON_LENGTH = 200;

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
};

/** Back to the list the admin was looking at (same search and page), with the outcome. */
function back(form: FormData, notice: Notice): never {
  const params = new URLSearchParams();
  const q = field(form, "q");
  const page = Number(field(form, "page"));
  if (q) params.set("q", q);
  if (Number.isInteger(page) && page > 0) params.set("page", String(page));
  params.set("notice", notice);
  redirect(`/admin?${params}`);
}

function failure(error: unknown): Notice {
  if (isDatabaseUnavailable(error)) return "unavailable";
  if (!(error instanceof APIError)) throw error;
  if (error.body?.code === "YOU_CANNOT_BAN_YOURSELF") return "cannot_ban_self";
  if (error.statusCode === 404) return "not_found";
  if (error.statusCode === 401 || error.statusCode === 403) return "forbidden";
  return "invalid";
}

/** Runs one admin call as the signed-in admin; returns the notice to show. */
async function asAdmin(call: (h: Headers) => Promise<unknown>, done: Notice): Promise<Notice> {
  const access = await adminForAction();
  if (!access.ok) return access.reason === "unavailable" ? "unavailable" : "forbidden";
  try {
    await ensureReady();
    await call(await headers());
    return done;
  } catch (error) {
    return failure(error);
  }
}

/** Bans a user: their sessions are deleted and sign-in is refused until unbanned or the expiry passes. */
export async function banUserAction(form: FormData): Promise<void> {
  const userId = field(form, "userId");
  const banReason = field(form, "reason").slice(0, MAX_REASON_LENGTH) || undefined;
  const duration = field(form, "expiresIn");
  const banExpiresIn = BAN_DURATIONS.find((d) => String(d.seconds) === duration)?.seconds;
  if (!userId || (duration !== "" && banExpiresIn === undefined)) back(form, "invalid");
  const notice = await asAdmin(
    (h) => auth.api.banUser({ headers: h, body: { userId, banReason, ...(banExpiresIn ? { banExpiresIn } : {}) } }),
    "banned",
  );
  back(form, notice);
}

/** Lifts a ban. */
export async function unbanUserAction(form: FormData): Promise<void> {
  const userId = field(form, "userId");
  back(form, await asAdmin((h) => auth.api.unbanUser({ headers: h, body: { userId } }), "unbanned"));
}

/** Deletes every session of a user (each device must sign in again once its JWT is refused or expires). */
export async function revokeSessionsAction(form: FormData): Promise<void> {
  const userId = field(form, "userId");
  back(form, await asAdmin((h) => auth.api.revokeUserSessions({ headers: h, body: { userId } }), "revoked"));
}

/** Sets a user's one role (`user` or `admin`); the JWT carries it from that user's next refresh. */
export async function setRoleAction(form: FormData): Promise<void> {
  const userId = field(form, "userId");
  const role = ROLES.find((r) => r === field(form, "role"));
  if (!userId || !role) back(form, "invalid");
  back(form, await asAdmin((h) => auth.api.setRole({ headers: h, body: { userId, role } }), "role_set"));
}
