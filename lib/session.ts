/**
 * Server helpers for Server Components, route handlers and Server Actions.
 * They verify the access JWT themselves with the same verifier the middleware
 * uses (its token cache makes the second check a lookup), so a handler stays
 * safe when the middleware is skipped: identity headers alone are never trusted.
 */
import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { edgeConfig } from "./edge/config";
import { defaultVerifier } from "./edge/default-verifier";
import { signInPath } from "./edge/next-path";
import { findToken } from "./edge/token";
import type { AccessClaims, VerifyFailure } from "./edge/verify";

/** The verified user of the current request. */
export type SessionUser = AccessClaims;

export type UserLookup =
  | { readonly user: SessionUser; readonly token: string; readonly reason?: undefined }
  | { readonly user: null; readonly token?: undefined; readonly reason: VerifyFailure };

/** Verifies the request's access JWT (cookie or Bearer), once per request. */
export const lookupUser = cache(async (): Promise<UserLookup> => {
  const requestHeaders = await headers();
  const lookup = findToken(requestHeaders, { cookieName: edgeConfig().accessCookie, allowBearer: true });
  if (lookup.kind === "none") return { user: null, reason: "missing" };
  if (lookup.kind === "ambiguous") return { user: null, reason: "malformed" };
  const result = await defaultVerifier()(lookup.token);
  return result.ok ? { user: result.claims, token: lookup.token } : { user: null, reason: result.reason };
});

/** The verified user, or `null`. */
export async function getUser(): Promise<SessionUser | null> {
  return (await lookupUser()).user;
}

/** Thrown by `requireUser`/`requireRole` outside of page rendering; route handlers turn it into JSON. */
export class AuthError extends Error {
  override readonly name = "AuthError";
  constructor(
    readonly status: 401 | 403 | 503,
    readonly code: VerifyFailure | "forbidden",
  ) {
    super(
      status === 403
        ? "You do not have access to this."
        : status === 503
          ? "Sign-in is unavailable; try again shortly."
          : "Sign in to continue.",
    );
  }
}

/**
 * The verified user, or a 401 `AuthError` (route handlers, Server Actions).
 * For pages pass `{ redirectTo: "/path" }` to send the visitor to sign-in instead.
 */
export async function requireUser(options: { redirectTo?: string } = {}): Promise<SessionUser> {
  const found = await lookupUser();
  if (found.user) return found.user;
  if (options.redirectTo !== undefined) redirect(signInPath(options.redirectTo));
  throw new AuthError(found.reason === "jwks_unavailable" ? 503 : 401, found.reason);
}

/** The verified user if they hold `role`, else a 403 `AuthError` (401 when signed out). */
export async function requireRole(role: string, options: { redirectTo?: string } = {}): Promise<SessionUser> {
  const user = await requireUser(options);
  if (user.role !== role) throw new AuthError(403, "forbidden");
  return user;
}

/** A JSON response for an `AuthError` (401 carries the Bearer challenge). */
export function authErrorResponse(error: AuthError): Response {
  const response = Response.json({ error: error.code, message: error.message }, { status: error.status });
  if (error.status === 401) {
    response.headers.set("WWW-Authenticate", `Bearer error="invalid_token", error_description="${error.code}"`);
  }
  response.headers.set("Cache-Control", "private, no-store");
  return response;
}
