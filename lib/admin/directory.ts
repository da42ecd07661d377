/**
 * Reads for the admin page, through Better Auth's admin endpoints (their
 * own database-backed admin check on every call): one page of users found
 * by email, and each one's sessions, described without their tokens.
 */
import "server-only";
import { APIError } from "better-auth/api";
import { headers } from "next/headers";
import { auth, ensureReady } from "@/lib/auth";
import { isDatabaseUnavailable } from "@/lib/db/errors";

/** Users per page. */
export const PAGE_SIZE = 20;

/** A session as the admin sees it: never its token (whoever reads a token can use it). */
export interface SessionSummary {
  readonly id: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly ipAddress: string | null;
  readonly userAgent: string | null;
  readonly impersonatedBy: string | null;
}

/** A user row of the admin page. */
export interface DirectoryUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: string;
  readonly banned: boolean;
  readonly banReason: string | null;
  readonly banExpires: string | null;
  readonly createdAt: string;
  readonly sessions: readonly SessionSummary[];
}

/** One page of the directory, or why it cannot be shown. */
export type DirectoryPage =
  | { readonly ok: true; readonly users: readonly DirectoryUser[]; readonly total: number; readonly page: number }
  | { readonly ok: false; readonly reason: "forbidden" | "unavailable" };

export interface DirectoryQuery {
  /** Part of an email (case-insensitive: Better Auth stores emails lower-cased). Default: everyone. */
  readonly search?: string;
  /** Zero-based page number. Default 0. */
  readonly page?: number;
}

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : null);

type Row = Record<string, unknown>;

function summarise(session: Row): SessionSummary {
  return {
    id: String(session.id),
    createdAt: iso(session.createdAt as Date) ?? "",
    expiresAt: iso(session.expiresAt as Date) ?? "",
    ipAddress: (session.ipAddress as string | null | undefined) ?? null,
    userAgent: (session.userAgent as string | null | undefined) ?? null,
    impersonatedBy: (session.impersonatedBy as string | null | undefined) ?? null,
  };
}

/** Lists one page of users and their sessions as the calling admin. */
export async function readDirectory(query: DirectoryQuery = {}): Promise<DirectoryPage> {
  const page = Math.max(0, Math.floor(query.page ?? 0));
  const search = query.search?.trim().toLowerCase() ?? "";
  try {
    await ensureReady();
    const h = await headers();
    const listed = await auth.api.listUsers({
      headers: h,
      query: {
        ...(search ? { searchValue: search, searchField: "email", searchOperator: "contains" } : {}),
        limit: PAGE_SIZE,
        offset: page * PAGE_SIZE,
        sortBy: "createdAt",
        sortDirection: "asc",
      },
    });
    const users = await Promise.all(
      listed.users.map(async (user): Promise<DirectoryUser> => {
        const { sessions } = await auth.api.listUserSessions({ headers: h, body: { userId: user.id } });
        const row = user as unknown as Row;
        return {
          id: user.id,
          email: user.email,
          name: user.name,
          role: user.role ?? "user",
          banned: user.banned === true,
          banReason: user.banReason ?? null,
          banExpires: iso(user.banExpires),
          createdAt: iso(row.createdAt as Date) ?? "",
          sessions: (sessions as unknown as Row[]).map(summarise),
        };
      }),
    );
    return { ok: true, users, total: listed.total, page };
  } catch (error) {
    if (error instanceof APIError && (error.statusCode === 401 || error.statusCode === 403))
      return { ok: false, reason: "forbidden" };
    if (isDatabaseUnavailable(error)) return { ok: false, reason: "unavailable" };
    throw error;
  }
}
