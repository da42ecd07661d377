/**
 * Server variables of accounts, mail, keys and the client address, declared
 * once with zod. Read into `ServerConfig` by `lib/config/index.ts`.
 */
import * as z from "zod";
import { flagSchema, urlSchema, zodInteger, zodVariable } from "./zod-variable";

/** `SMTP_URL`: the one SMTP server every mail goes over. */
export const SMTP_URL = zodVariable(
  {
    name: "SMTP_URL",
    group: "accounts",
    type: "smtp:// or smtps:// URL",
    default: "unset: development outbox, mail off in production",
    description: "SMTP server for every mail (reset, verification, email change)",
    notes: [
      "smtp://user:pass@host:587, smtps://user:pass@host:465, or smtp://localhost:2525 for a plain local server.",
      "Unset: development prints each mail's link and keeps it in .data/outbox; production says mail is off and password reset by mail is not offered.",
    ],
  },
  urlSchema(["smtp:", "smtps:"], {
    notUrl: "is not a URL: set it like smtp://user:pass@smtp.example.com:587 (or smtps://…:465)",
    protocol: "must start with smtp:// or smtps://",
  }),
);

/** `MAIL_FROM`: the sender of every mail (default from the base URL's host). */
export const MAIL_FROM = zodVariable(
  {
    name: "MAIL_FROM",
    group: "accounts",
    type: "address",
    default: '"edge-guard" <no-reply@host of BETTER_AUTH_URL>',
    description: "Sender of every mail",
  },
  z.string().optional(),
);

/** `AUTH_REQUIRE_EMAIL_VERIFICATION`: sign-in waits for a verified email. */
export const AUTH_REQUIRE_EMAIL_VERIFICATION = zodVariable(
  {
    name: "AUTH_REQUIRE_EMAIL_VERIFICATION",
    group: "accounts",
    type: "flag 0 | 1",
    default: "0",
    description: "`1`: sign-in waits until the email address is verified (needs `SMTP_URL` in production)",
  },
  flagSchema("must be 1 (on) or 0 (off)"),
);

/** `AUTH_PASSWORD_MIN_LENGTH`: shortest password accepted. */
export const AUTH_PASSWORD_MIN_LENGTH = zodInteger({
  name: "AUTH_PASSWORD_MIN_LENGTH",
  group: "accounts",
  min: 8,
  max: 128,
  default: 8,
  description:
    "Shortest password accepted (the longest is always 128); weak passwords are refused whatever their length",
});

/** `AUTH_KEY_ROTATION_DAYS`: automatic signing-key rotation, or only by hand. */
export const AUTH_KEY_ROTATION_DAYS = zodInteger({
  name: "AUTH_KEY_ROTATION_DAYS",
  group: "tokens",
  min: 1,
  max: 3650,
  default: undefined,
  unset: "unset: only `npm run keys:rotate`",
  description:
    "Rotate the signing key automatically after this many days (with `AUTH_JWKS` set, re-export it after each rotation)",
});

/** `AUTH_TRUSTED_IP_HEADER`: the one header naming the client's address. */
export const AUTH_TRUSTED_IP_HEADER = zodVariable(
  {
    name: "AUTH_TRUSTED_IP_HEADER",
    group: "posture",
    type: "header name",
    default: "x-vercel-forwarded-for on Vercel, else unset",
    description:
      "The one request header your host's proxy sets to the client's address (e.g. `x-real-ip`); unset: a client-sent `X-Forwarded-For` never decides it",
  },
  z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.string().regex(/^[a-z0-9!#$%&'*+.^_`|~-]+$/, { error: "must be one header name, e.g. x-real-ip" }))
    .optional(),
);
