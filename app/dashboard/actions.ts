"use server";
/**
 * Server Actions of the dashboard. An action is a public POST endpoint: it
 * checks the caller itself (`requireUser`), whatever page it was called from
 * and whether or not the middleware ran.
 */
import { APIError } from "better-auth/api";
import { headers } from "next/headers";
import { refreshAccessToken } from "@/lib/api-server";
import { auth, ensureReady } from "@/lib/auth";
import { AuthError, requireUser } from "@/lib/session";

/** What the display-name form shows after a submission. */
export interface DisplayNameState {
  readonly status: "idle" | "saved" | "error";
  readonly message: string;
  readonly name?: string;
}

/** Longest display name accepted, in characters. */
const MAX_NAME_LENGTH = 80;

function signedOut(error: AuthError): DisplayNameState {
  return error.status === 503
    ? { status: "error", message: "Sign-in is unavailable right now; try again shortly." }
    : { status: "error", message: "You are signed out. Sign in again to change your name." };
}

function readName(formData: unknown): string | DisplayNameState {
  const raw = formData instanceof FormData ? formData.get("name") : null;
  const name = typeof raw === "string" ? raw.trim() : "";
  // Control characters would end up in a JWT claim and in every backend's logs.
  if (name === "" || name.length > MAX_NAME_LENGTH || [...name].some((c) => (c.codePointAt(0) ?? 0) < 0x20)) {
    return { status: "error", message: `Enter a name of 1 to ${MAX_NAME_LENGTH} characters.` };
  }
  return name;
}

/**
 * Changes the signed-in user's display name through Better Auth, then
 * re-issues the access-JWT cookie so the new name is in the token at once
 * (pages, `/api/me`, backends). A signed-out caller gets an error state, never an exception.
 */
export async function updateDisplayName(_previous: DisplayNameState, formData: FormData): Promise<DisplayNameState> {
  try {
    await requireUser();
  } catch (error) {
    if (error instanceof AuthError) return signedOut(error);
    throw error;
  }
  const name = readName(formData);
  if (typeof name !== "string") return name;
  try {
    await ensureReady();
    await auth.api.updateUser({ headers: await headers(), body: { name } });
  } catch (error) {
    // The JWT was valid but the session behind it is gone (signed out elsewhere).
    if (error instanceof APIError && error.statusCode === 401) return signedOut(new AuthError(401, "signed_out"));
    console.error("[edge-guard] update name failed:", error instanceof Error ? error.message : "unknown error");
    return { status: "error", message: "Your name could not be saved; try again shortly." };
  }
  const refreshed = await refreshAccessToken();
  if (refreshed.kind !== "token") {
    return { status: "saved", name, message: "Saved. The new name shows once your session refreshes." };
  }
  return { status: "saved", name, message: "Saved." };
}
