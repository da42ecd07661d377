/**
 * The server side of the central API client (Server Components, route
 * handlers, Server Actions, the `/api/backend` proxy): the token is the
 * request's own access JWT, verified first (`lookupUser`); a refresh asks
 * Better Auth for a new one (one session lookup) and, where the response can
 * still carry cookies, renews the browser's cookie too.
 */
import "server-only";
import { cookies, headers } from "next/headers";
import type { ApiClient, RefreshOutcome } from "./api";
import { createApiClient } from "./api";
import { auth } from "./auth";
import { serverConfig } from "./config";
import { lookupUser } from "./session";
import type { CookieSpec } from "./tokens/access-cookie";
import { accessCookie, clearedAccessCookie } from "./tokens/access-cookie";
import { issueAccessToken } from "./tokens/issue-token";

/** Sets a cookie where Next allows it (route handlers, Server Actions); a Server Component cannot, and that is fine. */
async function trySetCookie(cookie: CookieSpec): Promise<void> {
  try {
    (await cookies()).set(cookie.name, cookie.value, cookie.options);
  } catch {
    // Rendering a Server Component: the browser keeps its cookie and refreshes through the hop later.
  }
}

/** A fresh access JWT from the request's Better Auth session. */
export async function refreshAccessToken(): Promise<RefreshOutcome> {
  const outcome = await issueAccessToken(await headers());
  if (outcome.kind === "token") await trySetCookie(accessCookie(outcome.token));
  return outcome;
}

/** Revokes the request's session (best effort) and clears the access cookie where possible. */
export async function signOutServerSide(): Promise<void> {
  try {
    await auth.api.signOut({ headers: await headers() });
  } catch {
    // Already gone, or the store is down: the cleared cookie still ends this browser's access.
  }
  await trySetCookie(clearedAccessCookie());
}

/** Thrown by `serverApi()` when `BACKEND_URL` is not set. */
export class BackendNotConfiguredError extends Error {
  override readonly name = "BackendNotConfiguredError";
  constructor() {
    super("BACKEND_URL is not set: point it at the API that should receive the user's JWT");
  }
}

/**
 * The API client for server code: calls `BACKEND_URL` with the request's
 * verified JWT as `Authorization: Bearer`. A signed-out user gets an
 * `ApiAuthError` (401), after their session is revoked.
 *
 * @example
 * // Server Component or Server Action
 * const response = await serverApi()(`/users/${user.id}/notes`);
 */
export function serverApi(): ApiClient {
  const base = serverConfig().backendUrl;
  if (!base) throw new BackendNotConfiguredError();
  return createApiClient({
    baseUrl: base,
    getToken: async () => (await lookupUser()).token ?? null,
    refresh: refreshAccessToken,
    onSignedOut: signOutServerSide,
  });
}
