/**
 * The edge-safe half of the kit's configuration: everything the guard needs to
 * decide on a request (issuer, audience, cookie names, where the keys are).
 * Read once per isolate from `process.env`; the Node half (`lib/config/index.ts`)
 * builds on this so both runtimes agree on one definition. The variables
 * themselves are declared in `lib/edge/config-variables.ts`.
 */
import type { JSONWebKeySet } from "jose";
import { AUTH_JWKS, AUTH_JWT_TTL, AUTH_REVOCATION_INTERVAL, BETTER_AUTH_URL, NODE_ENV, PORT } from "./config-variables";
import { ConfigError } from "./variable";

export { ConfigError };

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

/** `localhost`, `*.localhost`, 127.0.0.0/8 and `[::1]`: hosts no one else can reach, where plain http is fine. */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === "localhost" ||
    hostname.endsWith(".localhost") ||
    hostname === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

function readBaseURL(env: Record<string, string | undefined>): string {
  const url = BETTER_AUTH_URL.parse(env.BETTER_AUTH_URL) ?? new URL(`http://localhost:${PORT.parse(env.PORT)}`);
  // Cookies, tokens and redirects would cross the network in clear text.
  if (NODE_ENV.parse(env.NODE_ENV) === "production" && url.protocol !== "https:" && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(
      `BETTER_AUTH_URL must be https:// in production (plain http only on a loopback host): set it to your public origin, e.g. https://${url.host}`,
    );
  }
  return url.origin;
}

/**
 * Reads and validates the edge configuration from an environment record.
 * With `NODE_ENV=production` a non-loopback `BETTER_AUTH_URL` must be https.
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
    jwks: AUTH_JWKS.parse(env.AUTH_JWKS),
    jwtTtlSeconds: AUTH_JWT_TTL.parse(env.AUTH_JWT_TTL),
    secureCookies,
    accessCookie: secureCookies ? SECURE_ACCESS_COOKIE : ACCESS_COOKIE,
    revocationIntervalSeconds: AUTH_REVOCATION_INTERVAL.parse(env.AUTH_REVOCATION_INTERVAL),
  });
}

let cached: EdgeConfig | undefined;

/** The configuration of this process or isolate, read on first use. */
export function edgeConfig(): EdgeConfig {
  // Named one by one: the edge runtime's `process.env` is not a plain object to spread.
  cached ??= readEdgeConfig({
    NODE_ENV: process.env.NODE_ENV,
    BETTER_AUTH_URL: process.env.BETTER_AUTH_URL,
    PORT: process.env.PORT,
    AUTH_JWKS: process.env.AUTH_JWKS,
    AUTH_JWT_TTL: process.env.AUTH_JWT_TTL,
    AUTH_REVOCATION_INTERVAL: process.env.AUTH_REVOCATION_INTERVAL,
  });
  return cached;
}
