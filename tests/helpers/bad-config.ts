/**
 * One table of configurations a production start must refuse, shared by the
 * unit test (`readServerConfig`) and the start-up contract (`next start`,
 * `next build`). Each case names the variable the one line must name.
 */
import { randomBytes } from "node:crypto";

/** A private Ed25519 JWK (RFC 8037 test vector A.1): what must never be pasted into `AUTH_JWKS`. */
const PRIVATE_JWK = {
  kty: "OKP",
  crv: "Ed25519",
  d: "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
  x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
};
const { d: _d, ...PUBLIC_JWK } = PRIVATE_JWK;

/** A public Ed25519 set `AUTH_JWKS` accepts. */
export const PUBLIC_JWKS = JSON.stringify({ keys: [{ ...PUBLIC_JWK, kid: "test-1", alg: "EdDSA" }] });

/** A strong secret for the cases that are about something else. */
export const STRONG_SECRET = randomBytes(32).toString("base64url");

export interface BadConfig {
  /** What is wrong, for the test name. */
  readonly name: string;
  /** Set over a valid production environment; `undefined` deletes the variable. */
  readonly env: Record<string, string | undefined>;
  /** The variable the one line must name (at its start). */
  readonly variable: string;
  /** Another piece of the line: the fix. */
  readonly fix: string;
  /** Refused by `next build` too (the value is known then). Missing values count only on Vercel. */
  readonly atBuild: boolean;
}

/** Every production start-up failure of issue 11's contract, and the fix each line gives. */
export const BAD_CONFIGS: readonly BadConfig[] = [
  {
    name: "a missing secret",
    env: { BETTER_AUTH_SECRET: undefined },
    variable: "BETTER_AUTH_SECRET is missing",
    fix: "openssl rand -base64 32",
    atBuild: false,
  },
  {
    name: "a short secret",
    env: { BETTER_AUTH_SECRET: "short-secret" },
    variable: "BETTER_AUTH_SECRET is too weak",
    fix: "openssl rand -base64 32",
    atBuild: true,
  },
  {
    name: "a placeholder secret",
    env: { BETTER_AUTH_SECRET: "change-me" },
    variable: "BETTER_AUTH_SECRET is too weak",
    fix: "openssl rand -base64 32",
    atBuild: true,
  },
  {
    name: "a repetitive secret",
    env: { BETTER_AUTH_SECRET: "ab".repeat(24) },
    variable: "BETTER_AUTH_SECRET is too weak",
    fix: "openssl rand -base64 32",
    atBuild: true,
  },
  {
    name: "an http base URL on a public host",
    env: { BETTER_AUTH_URL: "http://app.example.com" },
    variable: "BETTER_AUTH_URL must be https://",
    fix: "https://app.example.com",
    atBuild: true,
  },
  {
    name: "a base URL that is not a URL",
    env: { BETTER_AUTH_URL: "app.example.com" },
    variable: "BETTER_AUTH_URL is not a URL",
    fix: "https://app.example.com",
    atBuild: true,
  },
  {
    name: "a MySQL database URL",
    env: { DATABASE_URL: "mysql://u:p@db.example.com/app" },
    variable: "DATABASE_URL is malformed",
    fix: "postgres://user:password@host",
    atBuild: true,
  },
  {
    name: "a database URL without a host",
    env: { DATABASE_URL: "postgres:///app" },
    variable: "DATABASE_URL is malformed",
    fix: "postgres://user:password@host",
    atBuild: true,
  },
  {
    name: "a database URL that is not a URL",
    env: { DATABASE_URL: "host=db user=app" },
    variable: "DATABASE_URL is malformed",
    fix: "postgres://user:password@host",
    atBuild: true,
  },
  {
    name: "AUTH_JWKS that is not JSON",
    env: { AUTH_JWKS: "{keys" },
    variable: "AUTH_JWKS is not JSON",
    fix: "GET /api/auth/jwks",
    atBuild: true,
  },
  {
    name: "AUTH_JWKS with no keys",
    env: { AUTH_JWKS: '{"keys":[]}' },
    variable: "AUTH_JWKS must be a JWK set",
    fix: "GET /api/auth/jwks",
    atBuild: true,
  },
  {
    name: "AUTH_JWKS with a private key",
    env: { AUTH_JWKS: JSON.stringify({ keys: [PRIVATE_JWK] }) },
    variable: 'AUTH_JWKS key 1 carries the private member "d"',
    fix: "npm run keys:export",
    atBuild: true,
  },
  {
    name: "AUTH_JWKS with an RSA key",
    env: { AUTH_JWKS: JSON.stringify({ keys: [{ kty: "RSA", n: "sXch", e: "AQAB" }] }) },
    variable: "AUTH_JWKS key 1 is not a public Ed25519 key",
    fix: "npm run keys:export",
    atBuild: true,
  },
  {
    name: "AUTH_JWT_TTL too short",
    env: { AUTH_JWT_TTL: "5" },
    variable: "AUTH_JWT_TTL must be a whole number of seconds between 10 and 3600",
    fix: "10 and 3600",
    atBuild: true,
  },
  {
    name: "AUTH_JWT_TTL too long",
    env: { AUTH_JWT_TTL: "86400" },
    variable: "AUTH_JWT_TTL must be a whole number",
    fix: "10 and 3600",
    atBuild: true,
  },
  {
    name: "AUTH_JWT_TTL with a unit",
    env: { AUTH_JWT_TTL: "5m" },
    variable: "AUTH_JWT_TTL must be a whole number",
    fix: "10 and 3600",
    atBuild: true,
  },
  {
    name: "email verification without mail",
    env: { AUTH_REQUIRE_EMAIL_VERIFICATION: "1", SMTP_URL: undefined },
    variable: "AUTH_REQUIRE_EMAIL_VERIFICATION=1 needs mail",
    fix: "set SMTP_URL",
    atBuild: false,
  },
  {
    name: "an SMTP URL of another scheme",
    env: { SMTP_URL: "http://mail.example.com" },
    variable: "SMTP_URL must start with smtp://",
    fix: "smtps://",
    atBuild: true,
  },
];

/** A production environment none of the rules refuses (loopback http, so `next start` can serve it here). */
export function validProductionEnv(port: number): Record<string, string> {
  return {
    NODE_ENV: "production",
    BETTER_AUTH_URL: `http://127.0.0.1:${port}`,
    BETTER_AUTH_SECRET: STRONG_SECRET,
    AUTH_JWKS: PUBLIC_JWKS,
  };
}

/** `base` with `overrides` applied (`undefined` deletes). */
export function withOverrides(
  base: Record<string, string | undefined>,
  overrides: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const env = { ...base, ...overrides };
  for (const [name, value] of Object.entries(overrides)) if (value === undefined) delete env[name];
  return env;
}
