/**
 * The server configuration, read and validated in one place (Node only).
 * Builds on the edge half (`lib/edge/config.ts`) so both runtimes agree on
 * the base URL, issuer, audience and cookie names. Every variable is declared
 * once, with zod, in `variables.ts` / `account-variables.ts`.
 *
 * Development needs no `.env`: a strong secret is generated once and kept in
 * the git-ignored `.data/` folder. Production refuses to start without one.
 */
import path from "node:path";
import type { EdgeConfig } from "../edge/config";
import { ConfigError, readEdgeConfig } from "../edge/config";
import { NODE_ENV } from "../edge/config-variables";
import { readAccountSettings } from "./account-settings";
import { DATA_DIR, devSecret, secretMessage, secretProblem } from "./secret";
import {
  AUTH_ADMIN_EMAILS,
  BACKEND_URL,
  BETTER_AUTH_SECRET,
  BETTER_AUTH_TRUSTED_ORIGINS,
  DATABASE_URL,
  PGLITE_DATA_DIR,
  VERCEL,
} from "./variables";

export { ConfigError, DATA_DIR };

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

/** How a configuration is being read. */
export interface ReadServerConfigOptions {
  /**
   * `build`: for `next build`, which serves nothing. Values that are set are
   * checked as at start-up; a missing production value (secret, database,
   * mail) is an error only on Vercel, whose builds see the runtime variables.
   * Default: `build` when `NEXT_PHASE` says so, else `start`.
   */
  readonly phase?: "build" | "start";
}

/** The checks that only production gets, and whether a missing value counts (see `ReadServerConfigOptions`). */
export interface ProductionRules {
  readonly production: boolean;
  readonly requirePresence: boolean;
}

function readSecret(env: Env, mode: ServerConfig["mode"], rules: ProductionRules, building: boolean): string {
  const secret = BETTER_AUTH_SECRET.parse(env.BETTER_AUTH_SECRET);
  const problem = secretProblem(secret);
  if (!problem && secret) return secret;
  if (rules.production && (problem === "too weak" || rules.requirePresence)) {
    throw new ConfigError(secretMessage(problem ?? "missing"));
  }
  // `next build` imports route modules but serves nothing: no secret is needed or generated.
  if (building) return "build-phase-placeholder-never-used-to-sign";
  if (mode === "test") return secret && problem !== "missing" ? secret : "test-secret-not-for-production-0123456789";
  return devSecret();
}

/** The values production cannot do without. Checked after every set value, so a malformed one is named first. */
function requirePresent(env: Env, rules: ProductionRules, config: Omit<ServerConfig, "mode" | "secret">): void {
  if (!rules.requirePresence) return;
  if (!config.databaseUrl && VERCEL.parse(env.VERCEL)) {
    throw new ConfigError(
      "DATABASE_URL is missing: serverless hosts have no disk for the embedded database; set it to your Neon URL",
    );
  }
  if (config.requireEmailVerification && !config.smtpUrl) {
    throw new ConfigError(
      "AUTH_REQUIRE_EMAIL_VERIFICATION=1 needs mail: set SMTP_URL (smtp://user:pass@host:port) or turn verification off",
    );
  }
}

function loopbackTwins(baseURL: string): string[] {
  const url = new URL(baseURL);
  if (!["localhost", "127.0.0.1", "[::1]"].includes(url.hostname)) return [];
  const port = url.port ? `:${url.port}` : "";
  return [`${url.protocol}//localhost${port}`, `${url.protocol}//127.0.0.1${port}`];
}

/** An environment record (`process.env` or a test's). */
export type Env = Record<string, string | undefined>;

/**
 * Reads and validates the whole configuration from `env`. Throws
 * `ConfigError` with one line naming the variable and the fix.
 *
 * @example
 * readServerConfig({ NODE_ENV: "production", BETTER_AUTH_URL: "http://app.example.com" });
 * // ConfigError: BETTER_AUTH_URL must be https:// in production …
 */
export function readServerConfig(env: Env, options: ReadServerConfigOptions = {}): ServerConfig {
  const mode = NODE_ENV.parse(env.NODE_ENV);
  const building = (options.phase ?? (env.NEXT_PHASE === "phase-production-build" ? "build" : "start")) === "build";
  const rules: ProductionRules = {
    production: mode === "production",
    requirePresence: mode === "production" && (!building || VERCEL.parse(env.VERCEL)),
  };
  const edge = readEdgeConfig(env);
  const extraOrigins = BETTER_AUTH_TRUSTED_ORIGINS.parse(env.BETTER_AUTH_TRUSTED_ORIGINS);
  const values = {
    ...edge,
    databaseUrl: DATABASE_URL.parse(env.DATABASE_URL),
    pgliteDataDir:
      PGLITE_DATA_DIR.parse(env.PGLITE_DATA_DIR) ?? (mode === "test" ? "memory://" : path.join(DATA_DIR, "pglite")),
    trustedOrigins: [...new Set([edge.baseURL, ...loopbackTwins(edge.baseURL), ...extraOrigins])],
    adminEmails: AUTH_ADMIN_EMAILS.parse(env.AUTH_ADMIN_EMAILS),
    backendUrl: BACKEND_URL.parse(env.BACKEND_URL),
    ...readAccountSettings(env, edge.baseURL),
  };
  // Presence last: a value that is set but malformed is the line a deployer needs first.
  const secret = readSecret(env, mode, rules, building);
  requirePresent(env, rules, values);
  return Object.freeze({ ...values, mode, secret });
}

let cached: ServerConfig | undefined;

/** The validated server configuration, read on first use. Throws `ConfigError` with a one-line fix. */
export function serverConfig(): ServerConfig {
  cached ??= readServerConfig(process.env);
  return cached;
}
