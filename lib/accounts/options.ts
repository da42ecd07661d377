/**
 * The account lifecycle's part of the Better Auth configuration: password
 * reset, email verification, email change (confirmed at the new address
 * first) and the password rule. `lib/auth.ts` spreads these in; Better Auth's
 * own endpoints do the work (`/request-password-reset`, `/reset-password`,
 * `/send-verification-email`, `/verify-email`, `/change-email`).
 *
 * Every mail goes through `lib/mail` after the response (`sendMailInBackground`),
 * so a request for a known email answers like one for an unknown email.
 */
import type { BetterAuthOptions, BetterAuthPlugin } from "better-auth";
import { decodeJwt } from "jose";
import type { ServerConfig } from "../config";
import { serverConfig } from "../config";
import { composeMail, mailEnabled, sendMailInBackground } from "../mail";
import { resetPasswordLink, verifyEmailLink } from "./links";
import { MAX_PASSWORD_LENGTH } from "./password-policy";
import { passwordPolicy } from "./password-policy-plugin";

/** A reset link works once, for one hour. */
export const RESET_TOKEN_SECONDS = 60 * 60;
/** Verification and email-change links work for a day (people read mail later); confirming twice is harmless. */
export const VERIFICATION_TOKEN_SECONDS = 24 * 60 * 60;

/** What the accounts feature adds to `betterAuth()`'s options. */
export interface AccountOptions {
  emailAndPassword: Omit<NonNullable<BetterAuthOptions["emailAndPassword"]>, "enabled">;
  emailVerification: NonNullable<BetterAuthOptions["emailVerification"]>;
  user: { changeEmail: NonNullable<NonNullable<BetterAuthOptions["user"]>["changeEmail"]> };
  plugins: BetterAuthPlugin[];
}

/**
 * The accounts options for a configuration. Without mail (production without
 * `SMTP_URL`) no sender is configured, so Better Auth answers reset and
 * verification requests with its "not enabled" error, the same for every email.
 *
 * @example
 * const accounts = accountOptions();
 * betterAuth({ emailAndPassword: { enabled: true, ...accounts.emailAndPassword }, ... });
 */
export function accountOptions(config: ServerConfig = serverConfig()): AccountOptions {
  const mail = mailEnabled(config);
  return {
    emailAndPassword: {
      minPasswordLength: config.passwordMinLength,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      requireEmailVerification: config.requireEmailVerification,
      resetPasswordTokenExpiresIn: RESET_TOKEN_SECONDS,
      // A reset ends every session of the user: a thief holding one loses it at once.
      revokeSessionsOnPasswordReset: true,
      ...(mail && {
        sendResetPassword: async ({ user, token }) =>
          sendMailInBackground(
            composeMail({
              kind: "reset-password",
              to: user.email,
              link: resetPasswordLink(config.baseURL, token),
              expiresIn: "1 hour",
            }),
          ),
      }),
    },
    emailVerification: {
      sendOnSignUp: config.requireEmailVerification,
      // The sign-in page offers "send the link again" instead of mailing on every refused attempt.
      sendOnSignIn: false,
      autoSignInAfterVerification: true,
      expiresIn: VERIFICATION_TOKEN_SECONDS,
      ...(mail && {
        sendVerificationEmail: async ({ user, url, token }) => {
          // Better Auth sends the email-change link here too, to the new address (`user.email` is it then).
          const change = tokenRequestType(token) === "change-email-verification";
          sendMailInBackground(
            composeMail({
              kind: change ? "change-email" : "verify-email",
              to: user.email,
              link: verifyEmailLink(config.baseURL, url),
              expiresIn: "24 hours",
            }),
          );
        },
      }),
    },
    // No `sendChangeEmailConfirmation`: the first mail goes to the new address, and the change
    // happens only when its link is followed. Never updated without that link.
    user: { changeEmail: { enabled: true, updateEmailWithoutVerification: false } },
    plugins: [passwordPolicy({ minLength: config.passwordMinLength })],
  };
}

/** The `requestType` claim of a Better Auth verification token (display only: Better Auth verifies it). */
function tokenRequestType(token: string): string | undefined {
  try {
    const claims = decodeJwt(token);
    return typeof claims.requestType === "string" ? claims.requestType : undefined;
  } catch {
    return undefined;
  }
}
