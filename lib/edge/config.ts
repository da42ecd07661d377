/**
 * The edge-safe half of the kit's configuration: everything the guard needs to
 * decide on a request (issuer, audience, cookie names, where the keys are).
 * Read once per isolate from `process.env`; the Node half (`lib/config/index.ts`)
 * builds on this so both runtimes agree on one definition.
 */
import type { JSONWebKeySet } from "jose";

/** Name of the access-JWT cookie on plain http (development, loopback tests). */
export const ACCESS_COOKIE = "eg.access";
/** Name of the access-JWT cookie on https: the `__Host-` prefix pins it to this host, `Path=/`, `Secure`. */
export const SECURE_ACCESS_COOKIE = "__Host-eg.access";

export interface EdgeConfig {
  /** The app's public origin, e.g. `https://app.example.com`. Default `http://localhost:$PORT`. */
  readonly baseURL: string;
  /** `iss` of every access JWT; the base URL's origin. */
  readonly issuer: string;
  /** `aud` of every access JWT; the base URL's origin. */
  readonly audience: string;
  /** Where the public keys are served. Never derived from the request's Host header. */
  readonly jwksUrl: URL;
  /** Public keys given in the environment (`AUTH_JWKS`), for a networkless cold start. */
  readonly jwks: JSONWebKeySet | undefined;
  /** Access-JWT lifetime in seconds (`AUTH_JWT_TTL`). Default 300 (5 minutes). */
  readonly jwtTtlSeconds: number;
  /** Whether cookies get `Secure` and the `__Host-` name (base URL is https). */
  readonly secureCookies: boolean;
  /** The access-JWT cookie name for this deployment. */
  readonly accessCookie: string;
  /** `AUTH_REVOCATION_INTERVAL`: seconds within which a revoked session's outstanding JWTs are refused at the edge (1–300). Default 10. */
  readonly revocationIntervalSeconds: number;
}

/** Thrown when an environment variable is present but unusable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

function readBaseURL(env: Record<string, string | undefined>): string {
  const raw = env.BETTER_AUTH_URL || `http://localhost:${env.PORT || "3000"}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`BETTER_AUTH_URL is not a URL: set it to the app's origin, e.g. https://app.example.com`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError("BETTER_AUTH_URL must start with http:// or https://");
  }
  return url.origin;
}

function readTtl(raw: string | undefined): number {
  if (raw === undefined || raw === "") return 300;
  const ttl = Number(raw);
  if (!Number.isInteger(ttl) || ttl < 10 || ttl > 3600) {
    throw new ConfigError("AUTH_JWT_TTL must be a whole number of seconds between 10 and 3600");
  }
  return ttl;
}

function readRevocationInterval(raw: string | undefined): number {
  if (raw === undefined || raw === "") return 10;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 300) {
    throw new ConfigError("AUTH_REVOCATION_INTERVAL must be a whole number of seconds between 1 and 300");
  }
  return seconds;
}

function readJwks(raw: string | undefined): JSONWebKeySet | undefined {
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError("AUTH_JWKS is not JSON: paste the body of GET /api/auth/jwks");
  }
  if (!parsed || typeof parsed !== "object" || !Array.isArray((parsed as JSONWebKeySet).keys)) {
    throw new ConfigError('AUTH_JWKS must be a JWK set: {"keys":[...]}');
  }
  return parsed as JSONWebKeySet;
}

/**
 * Reads and validates the edge configuration from an environment record.
 *
 * @example
 * const config = readEdgeConfig({ BETTER_AUTH_URL: "https://app.example.com" });
 * config.jwksUrl.href; // "https://app.example.com/api/auth/jwks"
 */
export function readEdgeConfig(env: Record<string, string | undefined>): EdgeConfig {
  const baseURL = readBaseURL(env);
  const secureCookies = baseURL.startsWith("https:");
  return Object.freeze({
    baseURL,
    issuer: baseURL,
    audience: baseURL,
    jwksUrl: new URL("/api/auth/jwks", baseURL),
    jwks: readJwks(env.AUTH_JWKS),
    jwtTtlSeconds: readTtl(env.AUTH_JWT_TTL),
    secureCookies,
    accessCookie: secureCookies ? SECURE_ACCESS_COOKIE : ACCESS_COOKIE,
    revocationIntervalSeconds: readRevocationInterval(env.AUTH_REVOCATION_INTERVAL),
  });
}

let cached: EdgeConfig | undefined;

/** The configuration of this process or isolate, read on first use. */
export function edgeConfig(): EdgeConfig {
  cached ??= readEdgeConfig({
    BETTER_AUTH_URL: process.env.BETTER_AUTH_URL,
    PORT: process.env.PORT,
    AUTH_JWKS: process.env.AUTH_JWKS,
    AUTH_JWT_TTL: process.env.AUTH_JWT_TTL,
    AUTH_REVOCATION_INTERVAL: process.env.AUTH_REVOCATION_INTERVAL,
  });
  return cached;
}
