/**
 * The links mails carry. Always absolute on `BETTER_AUTH_URL` (never the
 * request's Host, which a client chooses), and each opens the page that
 * finishes its flow.
 */
import { safeNextPath } from "../edge/next-path";

/** Where a verified user lands when the request named no (safe) page. */
export const AFTER_VERIFICATION = "/dashboard";

/** `/reset-password?token=…` on the base URL: the page asks for the new password. */
export function resetPasswordLink(baseURL: string, token: string): string {
  const url = new URL("/reset-password", baseURL);
  url.searchParams.set("token", token);
  return url.href;
}

/**
 * Better Auth's `/api/auth/verify-email?token=…&callbackURL=…` link, re-rooted
 * on the base URL, with the callback forced to a same-origin path (default the
 * dashboard). Following it verifies the address, signs the user in
 * (`autoSignInAfterVerification`) and redirects to the callback.
 */
export function verifyEmailLink(baseURL: string, betterAuthUrl: string): string {
  const given = new URL(betterAuthUrl, baseURL);
  const url = new URL(given.pathname, baseURL);
  url.searchParams.set("token", given.searchParams.get("token") ?? "");
  url.searchParams.set("callbackURL", sameOriginPath(baseURL, given.searchParams.get("callbackURL")));
  return url.href;
}

/** A callback as a same-origin path: relative paths as they are, absolute URLs only on the base URL. */
function sameOriginPath(baseURL: string, callback: string | null): string {
  if (!callback || callback === "/") return AFTER_VERIFICATION;
  if (callback.startsWith("/")) return safeNextPath(callback, AFTER_VERIFICATION);
  try {
    const url = new URL(callback);
    if (url.origin === new URL(baseURL).origin) return safeNextPath(`${url.pathname}${url.search}`, AFTER_VERIFICATION);
  } catch {}
  return AFTER_VERIFICATION;
}
