/**
 * Better Auth's error answers as sentences a person can act on, shared by the
 * sign-in, sign-up, forgot- and reset-password forms. The password rule's own
 * messages (`lib/accounts/password-policy.ts`) already say why: shown as sent.
 */

/** What Better Auth's client hands back on failure. */
export interface AuthErrorLike {
  code?: string | undefined;
  message?: string | undefined;
  status: number;
}

const PASSWORD_RULE_CODES = new Set([
  "PASSWORD_TOO_SHORT",
  "PASSWORD_TOO_LONG",
  "PASSWORD_TOO_WEAK",
  "PASSWORD_CONTAINS_EMAIL",
]);

/**
 * One sentence for an error.
 *
 * @example
 * describeAuthError({ status: 429, message: "Too many requests. Please try again later." });
 */
export function describeAuthError(error: AuthErrorLike): string {
  if (error.code && PASSWORD_RULE_CODES.has(error.code) && error.message) return error.message;
  switch (error.code) {
    case "INVALID_EMAIL_OR_PASSWORD":
      return "Wrong email or password.";
    case "USER_ALREADY_EXISTS":
    case "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL":
      return "An account with this email already exists. Sign in instead.";
    case "PASSWORD_TOO_SHORT":
      return "Password is too weak: use more characters.";
    case "PASSWORD_TOO_LONG":
      return "Password is too long: use at most 128 characters.";
    case "INVALID_EMAIL":
      return "Enter a valid email address.";
    case "EMAIL_NOT_VERIFIED":
      return "Confirm your email address first: follow the link we mailed you.";
    case "INVALID_TOKEN":
      return "This link has expired or was already used. Ask for a new one.";
    case "RESET_PASSWORD_DISABLED":
      return "Password reset by mail is not set up on this deployment.";
    default:
      // The rate limiter's own words ("Too many requests…"), else ours.
      if (error.status === 429) return error.message || "Too many attempts. Wait a minute and try again.";
      if (error.status >= 500) return "The service is temporarily unavailable. Try again shortly.";
      return error.message || "Something went wrong. Try again.";
  }
}
