/**
 * Better Auth's error codes on the account forms, as sentences a person can
 * act on. Unknown codes show Better Auth's own message (the server-side
 * password rule explains itself there).
 */

/** An error as `authClient` returns it. */
export interface ClientError {
  code?: string | undefined;
  message?: string | undefined;
  status: number;
}

const BY_CODE: Record<string, string> = {
  INVALID_PASSWORD: "That is not your current password.",
  PASSWORD_REQUIRED: "Enter your password.",
  PASSWORD_TOO_SHORT: "The new password is too short.",
  PASSWORD_TOO_LONG: "The new password is too long: use at most 128 characters.",
  INVALID_EMAIL: "Enter a valid email address.",
  CHANGE_EMAIL_DISABLED: "Changing the email address is not enabled on this deployment.",
  CREDENTIAL_ACCOUNT_NOT_FOUND: "This account has no password to check.",
  SESSION_EXPIRED: "Sign in again, then retry.",
  UNAUTHORIZED: "You are signed out. Sign in again to continue.",
};

/** The sentence for a failed account request. */
export function describeError(error: ClientError): string {
  const known = error.code ? BY_CODE[error.code] : undefined;
  if (known) return known;
  if (error.status === 401) return BY_CODE.UNAUTHORIZED as string;
  if (error.status === 429) return "Too many attempts. Wait a minute and try again.";
  if (error.status >= 500) return "The service is temporarily unavailable. Try again shortly.";
  return error.message || "Something went wrong. Try again.";
}
