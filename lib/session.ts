/**
 * Server helpers for Server Components, route handlers and Server Actions.
 * They verify the access JWT themselves with the same verifier the middleware
 * uses (its token cache makes the second check a map lookup), so a handler
 * stays safe when the middleware is skipped: no header is ever trusted for
 * identity, only the token is. They apply the revocation feed too (the same
 * document the edge holds, read from this process's memoised snapshot).
 */
import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { edgeConfig } from "./edge/config";
import { defaultVerifier } from "./edge/default-verifier";
import { safeNextPath, signInPath } from "./edge/next-path";
import { invalidTokenChallenge, NO_STORE, REFRESH_PATH } from "./edge/responses";
import { findToken, hasSessionCookie } from "./edge/token";
import type { AccessClaims, VerifyFailure } from "./edge/verify";
import { serverRevocations } from "./revocation/server-revocations";

/** The verified user of the current request: `id` (`sub`), `email`, `name`, `role`, `exp`, `iat`. */
export type SessionUser = AccessClaims;

/** A verified user with the token that proved it, or the reason there is none. */
export type UserLookup =
  | { readonly user: SessionUser; readonly token: string; readonly reason?: undefined }
  | { readonly user: null; readonly token?: undefined; readonly reason: VerifyFailure };

/**
 * Verifies the request's access JWT (cookie, or `Authorization: Bearer`), once
 * per request: React `cache` memoises it within one render; elsewhere the
 * verifier's token cache makes a repeat a lookup.
 */
export const lookupUser = cache(async (): Promise<UserLookup> => {
  const cookieName = edgeConfig().accessCookie;
  const raw = await headers();
  // Two different cookie values, or a cookie and a Bearer token that disagree: refuse, never guess.
  if (findToken(raw, { cookieName, allowBearer: true }).kind === "ambiguous")
    return { user: null, reason: "malformed" };
  // The cookie as `cookies()` sees it: after a Server Action re-issued the JWT, the page it re-renders sees the new one.
  const current = new Headers();
  const authorization = raw.get("authorization");
  if (authorization !== null) current.set("authorization", authorization);
  const cookie = (await cookies()).get(cookieName)?.value;
  if (cookie) current.set("cookie", `${cookieName}=${cookie}`);
  const lookup = findToken(current, { cookieName, allowBearer: true });
  if (lookup.kind === "none") return { user: null, reason: "missing" };
  if (lookup.kind === "ambiguous") return { user: null, reason: "malformed" };
  const result = await defaultVerifier()(lookup.token);
  if (!result.ok) return { user: null, reason: result.reason };
  if (await serverRevocations().isRevoked(result.claims)) return { user: null, reason: "revoked" };
  return { user: result.claims, token: lookup.token };
});

/** The verified user, or `null`. */
export async function getUser(): Promise<SessionUser | null> {
  return (await lookupUser()).user;
}

/** Why an `AuthError` was raised: the verifier's failure code, or one of the kit's own. */
export type AuthErrorCode = VerifyFailure | "forbidden" | "signed_out" | "session_unavailable";

/** What `requireUser`/`requireRole` throw outside of page rendering; `authErrorResponse` turns it into JSON. */
export class AuthError extends Error {
  override readonly name = "AuthError";
  constructor(
    /** 401 signed out, 403 wrong role, 503 keys unavailable (transient: not a sign-out). */
    readonly status: 401 | 403 | 503,
    /** The verifier's failure code, `forbidden`, `signed_out` (session revoked) or `session_unavailable`. */
    readonly code: AuthErrorCode,
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

export interface RequireOptions {
  /**
   * For pages: the path to come back to. A signed-out visitor is redirected to
   * sign-in (or, with a live session and a missing or expired token, to the
   * refresh hop) instead of getting an `AuthError`.
   */
  redirectTo?: string;
}

/**
 * The verified user, or a 401 `AuthError` (route handlers, Server Actions).
 *
 * @example
 * // Server Component
 * const user = await requireUser({ redirectTo: "/dashboard" });
 * // route handler
 * try { const user = await requireUser(); … } catch (e) { if (e instanceof AuthError) return authErrorResponse(e); throw e; }
 */
export async function requireUser(options: RequireOptions = {}): Promise<SessionUser> {
  const found = await lookupUser();
  if (found.user) return found.user;
  if (options.redirectTo !== undefined && found.reason !== "jwks_unavailable") {
    // A revoked token's device may hold a newer session (after a password change): the hop tells.
    const canRefresh = found.reason === "missing" || found.reason === "expired" || found.reason === "revoked";
    if (canRefresh && hasSessionCookie(await headers())) {
      redirect(`${REFRESH_PATH}?next=${encodeURIComponent(safeNextPath(options.redirectTo))}`);
    }
    redirect(signInPath(options.redirectTo));
  }
  throw new AuthError(found.reason === "jwks_unavailable" ? 503 : 401, found.reason);
}

/** The verified user if they hold `role`; else a 403 `AuthError` (signed out: as `requireUser`). */
export async function requireRole(role: string, options: RequireOptions = {}): Promise<SessionUser> {
  const user = await requireUser(options);
  if (user.role !== role) throw new AuthError(403, "forbidden");
  return user;
}

const ERROR_NAMES = { 401: "unauthorized", 403: "forbidden", 503: "auth_unavailable" } as const;

/**
 * A `private, no-store` JSON response for an `AuthError`, shaped like the
 * guard's own answers (`{ error, reason, message }`); a 401 carries the Bearer challenge.
 */
export function authErrorResponse(error: AuthError): Response {
  const body = { error: ERROR_NAMES[error.status], reason: error.code, message: error.message };
  const response = Response.json(body, { status: error.status });
  if (error.status === 401) {
    response.headers.set("WWW-Authenticate", invalidTokenChallenge(error.code));
  }
  if (error.status === 503) response.headers.set("Retry-After", "5");
  response.headers.set("Cache-Control", NO_STORE);
  return response;
}
