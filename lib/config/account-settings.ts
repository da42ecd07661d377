/**
 * The accounts, mail, keys and client-address part of `ServerConfig`, and the
 * one production rule that ties two of them: verification needs mail.
 */
import { ConfigError } from "../edge/config";
import {
  AUTH_KEY_ROTATION_DAYS,
  AUTH_PASSWORD_MIN_LENGTH,
  AUTH_REQUIRE_EMAIL_VERIFICATION,
  AUTH_TRUSTED_IP_HEADER,
  MAIL_FROM,
  SMTP_URL,
} from "./account-variables";
import type { Env, ProductionRules, ServerConfig } from "./index";
import { VERCEL } from "./variables";

type AccountSettings = Pick<
  ServerConfig,
  "smtpUrl" | "mailFrom" | "requireEmailVerification" | "passwordMinLength" | "keyRotationDays" | "trustedIpHeader"
>;

/** Reads the account settings of `env`; `baseURL` names the default sender's host. */
export function readAccountSettings(env: Env, rules: ProductionRules, baseURL: string): AccountSettings {
  const smtpUrl = SMTP_URL.parse(env.SMTP_URL);
  const requireEmailVerification = AUTH_REQUIRE_EMAIL_VERIFICATION.parse(env.AUTH_REQUIRE_EMAIL_VERIFICATION);
  if (requireEmailVerification && !smtpUrl && rules.requirePresence) {
    throw new ConfigError(
      "AUTH_REQUIRE_EMAIL_VERIFICATION=1 needs mail: set SMTP_URL (smtp://user:pass@host:port) or turn verification off",
    );
  }
  return {
    smtpUrl,
    mailFrom: MAIL_FROM.parse(env.MAIL_FROM) ?? `"edge-guard" <no-reply@${new URL(baseURL).hostname}>`,
    requireEmailVerification,
    passwordMinLength: AUTH_PASSWORD_MIN_LENGTH.parse(env.AUTH_PASSWORD_MIN_LENGTH),
    keyRotationDays: AUTH_KEY_ROTATION_DAYS.parse(env.AUTH_KEY_ROTATION_DAYS),
    trustedIpHeader:
      AUTH_TRUSTED_IP_HEADER.parse(env.AUTH_TRUSTED_IP_HEADER) ??
      (VERCEL.parse(env.VERCEL) ? "x-vercel-forwarded-for" : undefined),
  };
}
