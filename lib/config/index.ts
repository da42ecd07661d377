/**
 * The server configuration, read and validated in one place (Node only).
 * Builds on the edge half (`lib/edge/config.ts`) so both runtimes agree on
 * the base URL, issuer, audience and cookie names.
 *
 * Development needs no `.env`: a strong secret is generated once and kept in
 * the git-ignored `.data/` folder. Production refuses to start without one.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { EdgeConfig } from "../edge/config";
import { ConfigError, edgeConfig } from "../edge/config";

export { ConfigError };

/** Where development state lives (git-ignored). */
export const DATA_DIR = path.join(process.cwd(), ".data");
const DEV_SECRET_FILE = path.join(DATA_DIR, "dev-secret");
const MIN_SECRET_LENGTH = 32;
const PLACEHOLDER_SECRETS = new Set(["change-me", "changeme", "secret", "replace-with-openssl-rand-base64-32"]);

export interface ServerConfig extends EdgeConfig {
  readonly mode: "development" | "production" | "test";
  /** `BETTER_AUTH_SECRET`: signs session cookies, encrypts private JWKs. */
  readonly secret: string;
  /** `DATABASE_URL`: a Postgres URL (Neon or any Postgres), or `undefined` for embedded PGlite. */
  readonly databaseUrl: string | undefined;
  /** `PGLITE_DATA_DIR`: PGlite's folder, or `memory://`. Default `.data/pglite` (`memory://` in tests). */
  readonly pgliteDataDir: string;
  /** `AUTH_ADMIN_EMAILS`: lower-cased emails that get the `admin` role when they sign up. */
  readonly adminEmails: readonly string[];
  /** Origins allowed to call the auth API (base URL, loopback twins, `BETTER_AUTH_TRUSTED_ORIGINS`). */
  readonly trustedOrigins: readonly string[];
  /** `BACKEND_URL`: the external API that `lib/api.ts` and `/api/backend/*` call with the user's JWT, or `undefined`. */
  readonly backendUrl: URL | undefined;
  /** `SMTP_URL`: `smtp://user:pass@host:port` or `smtps://…`; every mail goes over it when set. `undefined`: dev outbox / mail off. */
  readonly smtpUrl: URL | undefined;
  /** `MAIL_FROM`: the sender of every mail. Default `"edge-guard" <no-reply@<base URL host>>`. */
  readonly mailFrom: string;
  /** `AUTH_REQUIRE_EMAIL_VERIFICATION=1`: sign-in waits for a verified email. Default false. */
  readonly requireEmailVerification: boolean;
  /** `AUTH_PASSWORD_MIN_LENGTH`: shortest password accepted (8–128). Default 8; the longest is always 128. */
  readonly passwordMinLength: number;
  /** `AUTH_KEY_ROTATION_DAYS`: rotate the signing key automatically after this many days; `undefined`: only `npm run keys:rotate`. */
  readonly keyRotationDays: number | undefined;
  /** `AUTH_TRUSTED_IP_HEADER`: the one header that names the client's address (lower-cased); on Vercel `x-vercel-forwarded-for` by default; `undefined`: the socket's address only. */
  readonly trustedIpHeader: string | undefined;
}

function isBuildPhase(): boolean {
  return process.env.NEXT_PHASE === "phase-production-build";
}

function devSecret(): string {
  if (existsSync(DEV_SECRET_FILE)) return readFileSync(DEV_SECRET_FILE, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  mkdirSync(DATA_DIR, { recursive: true });
  writeFileSync(DEV_SECRET_FILE, `${secret}\n`, { mode: 0o600 });
  console.info("[edge-guard] No BETTER_AUTH_SECRET set: generated a development secret in .data/dev-secret");
  return secret;
}

function readSecret(mode: ServerConfig["mode"]): string {
  const secret = process.env.BETTER_AUTH_SECRET;
  const weak = !secret || secret.length < MIN_SECRET_LENGTH || PLACEHOLDER_SECRETS.has(secret.toLowerCase());
  if (!weak) return secret;
  // `next build` imports route modules but serves nothing: no secret is needed or generated.
  if (isBuildPhase()) return "build-phase-placeholder-never-used-to-sign";
  if (mode === "production") {
    throw new ConfigError(
      `BETTER_AUTH_SECRET is ${secret ? "too weak" : "missing"}: set it to at least ${MIN_SECRET_LENGTH} random characters (openssl rand -base64 32)`,
    );
  }
  if (mode === "test")
    return secret && secret.length >= MIN_SECRET_LENGTH ? secret : "test-secret-not-for-production-0123456789";
  return devSecret();
}

function readDatabaseUrl(mode: ServerConfig["mode"]): string | undefined {
  const url = process.env.DATABASE_URL;
  if (!url && mode === "production" && process.env.VERCEL && !isBuildPhase()) {
    throw new ConfigError(
      "DATABASE_URL is missing: serverless hosts have no disk for the embedded database; set it to your Neon URL",
    );
  }
  if (!url) return undefined;
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError("DATABASE_URL must be a postgres:// or postgresql:// URL (or unset for embedded PGlite)");
  }
  return url;
}

function readBackendUrl(): URL | undefined {
  const raw = process.env.BACKEND_URL;
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError("BACKEND_URL is not a URL: set it to your API's base, e.g. https://api.example.com");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError("BACKEND_URL must start with http:// or https://");
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError("BACKEND_URL must be a plain base URL: no query, fragment or credentials");
  }
  return url;
}

function readSmtpUrl(): URL | undefined {
  const raw = process.env.SMTP_URL;
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      "SMTP_URL is not a URL: set it like smtp://user:pass@smtp.example.com:587 (or smtps://…:465)",
    );
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    throw new ConfigError("SMTP_URL must start with smtp:// or smtps://");
  }
  return url;
}

function readIntegerInRange(
  name: string,
  raw: string | undefined,
  range: { min: number; max: number },
): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new ConfigError(`${name} must be a whole number between ${range.min} and ${range.max}`);
  }
  return value;
}

function readFlag(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === "" || raw === "0" || raw === "false") return false;
  if (raw === "1" || raw === "true") return true;
  throw new ConfigError(`${name} must be 1 (on) or 0 (off)`);
}

function loopbackTwins(baseURL: string): string[] {
  const url = new URL(baseURL);
  if (!["localhost", "127.0.0.1", "[::1]"].includes(url.hostname)) return [];
  const port = url.port ? `:${url.port}` : "";
  return [`${url.protocol}//localhost${port}`, `${url.protocol}//127.0.0.1${port}`];
}

function readAccountSettings(mode: ServerConfig["mode"], baseURL: string) {
  const smtpUrl = readSmtpUrl();
  const requireEmailVerification = readFlag(
    "AUTH_REQUIRE_EMAIL_VERIFICATION",
    process.env.AUTH_REQUIRE_EMAIL_VERIFICATION,
  );
  if (requireEmailVerification && !smtpUrl && mode === "production" && !isBuildPhase()) {
    throw new ConfigError(
      "AUTH_REQUIRE_EMAIL_VERIFICATION=1 needs mail: set SMTP_URL (smtp://user:pass@host:port) or turn verification off",
    );
  }
  const trusted = process.env.AUTH_TRUSTED_IP_HEADER?.trim().toLowerCase();
  return {
    smtpUrl,
    mailFrom: process.env.MAIL_FROM || `"edge-guard" <no-reply@${new URL(baseURL).hostname}>`,
    requireEmailVerification,
    passwordMinLength:
      readIntegerInRange("AUTH_PASSWORD_MIN_LENGTH", process.env.AUTH_PASSWORD_MIN_LENGTH, { min: 8, max: 128 }) ?? 8,
    keyRotationDays: readIntegerInRange("AUTH_KEY_ROTATION_DAYS", process.env.AUTH_KEY_ROTATION_DAYS, {
      min: 1,
      max: 3650,
    }),
    trustedIpHeader: trusted || (process.env.VERCEL ? "x-vercel-forwarded-for" : undefined),
  };
}

function readConfig(): ServerConfig {
  const mode =
    process.env.NODE_ENV === "production" ? "production" : process.env.NODE_ENV === "test" ? "test" : "development";
  const edge = edgeConfig();
  const extraOrigins = (process.env.BETTER_AUTH_TRUSTED_ORIGINS ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  return Object.freeze({
    ...edge,
    mode,
    secret: readSecret(mode),
    databaseUrl: readDatabaseUrl(mode),
    pgliteDataDir: process.env.PGLITE_DATA_DIR || (mode === "test" ? "memory://" : path.join(DATA_DIR, "pglite")),
    trustedOrigins: [...new Set([edge.baseURL, ...loopbackTwins(edge.baseURL), ...extraOrigins])],
    adminEmails: (process.env.AUTH_ADMIN_EMAILS ?? "")
      .split(",")
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean),
    backendUrl: readBackendUrl(),
    ...readAccountSettings(mode, edge.baseURL),
  });
}

let cached: ServerConfig | undefined;

/** The validated server configuration, read on first use. Throws `ConfigError` with a one-line fix. */
export function serverConfig(): ServerConfig {
  cached ??= readConfig();
  return cached;
}
