/**
 * A Better Auth plugin that hands the browser its access JWT as a cookie:
 * on sign-in and sign-up it signs a JWT with the `jwt` plugin's keys (the same
 * token `GET /api/auth/token` returns) and sets it; on sign-out it clears it.
 * Endpoints that replace the session (a password change that signs out the
 * other devices) re-issue it; those that end it (deleting the account,
 * revoking this device's own session) clear it with Better Auth's own cookie.
 * Every response that touches an auth cookie is marked `private, no-store`.
 */
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import type { JwtOptions } from "better-auth/plugins/jwt";
import { signJWT } from "better-auth/plugins/jwt";
import { SESSION_COOKIES } from "../edge/token";
import type { CookieSpec } from "./access-cookie";
import { accessCookie, clearedAccessCookie } from "./access-cookie";

// `/verify-email` signs the user in too (`autoSignInAfterVerification`), and re-issues after an email change.
// change-password with revokeOtherSessions ends this device's session too and starts a new one: its JWT
// (with the old `sid`) is revoked, so the device gets a fresh one for the new session at once. A direct
// `/change-email` (unverified user) re-sets the session with the new address: the JWT follows.
const SIGN_IN_PATHS = new Set([
  "/sign-in/email",
  "/sign-up/email",
  "/verify-email",
  "/change-password",
  "/change-email",
]);
const SIGN_OUT_PATHS = new Set(["/sign-out", "/revoke-sessions"]);
/** Cleared only when Better Auth expired its session cookie in the same response (success, own session). */
const SESSION_ENDING_PATHS = new Set(["/delete-user", "/revoke-session"]);

/** Whether the response being built expires Better Auth's session cookie. */
function expiresSessionCookie(headers: Headers | undefined): boolean {
  return (headers?.getSetCookie() ?? []).some(
    (line) => SESSION_COOKIES.some((name) => line.startsWith(`${name}=`)) && /;\s*max-age=0\b/i.test(line),
  );
}

export interface AccessCookiePluginOptions {
  /** The options given to `jwt()`, so the cookie's JWT is exactly the `/token` JWT. */
  jwt: JwtOptions;
}

/** Sets and clears the access-JWT cookie alongside Better Auth's own session cookie. */
export function accessCookiePlugin({ jwt }: AccessCookiePluginOptions): BetterAuthPlugin {
  return {
    id: "edge-guard-access-cookie",
    hooks: {
      after: [
        {
          matcher: (ctx) =>
            SIGN_IN_PATHS.has(ctx.path ?? "") ||
            SIGN_OUT_PATHS.has(ctx.path ?? "") ||
            SESSION_ENDING_PATHS.has(ctx.path ?? ""),
          handler: createAuthMiddleware(async (ctx) => {
            const set = (cookie: CookieSpec) => {
              ctx.setCookie(cookie.name, cookie.value, cookie.options);
              ctx.setHeader("Cache-Control", "private, no-store");
            };
            if (SIGN_OUT_PATHS.has(ctx.path)) return set(clearedAccessCookie());
            if (SESSION_ENDING_PATHS.has(ctx.path)) {
              if (expiresSessionCookie(ctx.context.responseHeaders)) set(clearedAccessCookie());
              return;
            }
            const session = ctx.context.newSession;
            if (!session) return;
            const payload = (await jwt.jwt?.definePayload?.(session)) ?? {};
            const token = await signJWT(ctx, {
              options: jwt,
              payload: { ...payload, iat: Math.floor(Date.now() / 1000), sub: session.user.id },
            });
            set(accessCookie(token));
          }),
        },
      ],
    },
  };
}
