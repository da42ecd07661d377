/**
 * The accounts, mail, keys and client-address part of `ServerConfig`.
 * (That verification needs mail in production is checked in `index.ts`, with
 * the other values production cannot do without.)
 */
import {
  AUTH_KEY_ROTATION_DAYS,
  AUTH_PASSWORD_MIN_LENGTH,
  AUTH_REQUIRE_EMAIL_VERIFICATION,
  AUTH_TRUSTED_IP_HEADER,
  MAIL_FROM,
  SMTP_URL,
} from "./account-variables";
import type { Env, ServerConfig } from "./index";
import { VERCEL } from "./variables";

type AccountSettings = Pick<
  ServerConfig,
  "smtpUrl" | "mailFrom" | "requireEmailVerification" | "passwordMinLength" | "keyRotationDays" | "trustedIpHeader"
>;

/** Reads the account settings of `env`; `baseURL` names the default sender's host. */
export function readAccountSettings(env: Env, baseURL: string): AccountSettings {
  return {
    smtpUrl: SMTP_URL.parse(env.SMTP_URL),
    mailFrom: MAIL_FROM.parse(env.MAIL_FROM) ?? `"edge-guard" <no-reply@${new URL(baseURL).hostname}>`,
    requireEmailVerification: AUTH_REQUIRE_EMAIL_VERIFICATION.parse(env.AUTH_REQUIRE_EMAIL_VERIFICATION),
    passwordMinLength: AUTH_PASSWORD_MIN_LENGTH.parse(env.AUTH_PASSWORD_MIN_LENGTH),
    keyRotationDays: AUTH_KEY_ROTATION_DAYS.parse(env.AUTH_KEY_ROTATION_DAYS),
    trustedIpHeader:
      AUTH_TRUSTED_IP_HEADER.parse(env.AUTH_TRUSTED_IP_HEADER) ??
      (VERCEL.parse(env.VERCEL) ? "x-vercel-forwarded-for" : undefined),
  };
}
