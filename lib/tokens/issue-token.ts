/**
 * A fresh access JWT from the request's Better Auth session: the one place
 * that tells "signed out" from "the session store is unavailable" (Node only).
 * Used by the refresh hop and by the server-side API client.
 */
import { APIError } from "better-auth/api";
import { auth, ensureReady } from "../auth";
import { watchDatabase } from "../db/errors";

/** A new token, no session, or a session store that could not be asked (transient: sign no one out). */
export type IssuedToken =
  | { readonly kind: "token"; readonly token: string }
  | { readonly kind: "signed-out" }
  | { readonly kind: "unavailable" };

/**
 * One session lookup, then a JWT signed with the `jwt` plugin's keys.
 * Better Auth reads a session lookup that could not reach the database as "no
 * session" (401): the database watch tells that outage apart, so a database
 * restart never signs anyone out.
 */
export function issueAccessToken(headers: Headers): Promise<IssuedToken> {
  return watchDatabase(async (watch) => {
    try {
      await ensureReady();
      const { token } = await auth.api.getToken({ headers });
      return { kind: "token", token };
    } catch (error) {
      if (error instanceof APIError && error.statusCode < 500 && !watch.unavailable) return { kind: "signed-out" };
      const cause = watch.unavailable ?? error;
      console.error("[edge-guard] token refresh failed:", cause instanceof Error ? cause.message : "unknown error");
      return { kind: "unavailable" };
    }
  });
}
