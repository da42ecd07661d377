/**
 * Where the edge gets its public keys: `AUTH_JWKS` from the environment when
 * given (no network at all), else the app's own `/api/auth/jwks` fetched once
 * per isolate and cached by jose (single flight, max age, cooldown on unknown
 * `kid`, timeout). We only wrap it to learn when the key set changes.
 */

import type { ExportedJWKSCache, JSONWebKeySet, JWTVerifyGetKey } from "jose";
import { createLocalJWKSet, createRemoteJWKSet, jwksCache } from "jose";

export interface KeySourceOptions {
  /** The JWKS endpoint, from configuration (never from the request). */
  jwksUrl?: URL | undefined;
  /** Static keys; when set, no fetch ever happens. */
  jwks?: JSONWebKeySet | undefined;
  /** How long fetched keys are trusted before a refetch, in ms. Default 600000 (10 minutes). */
  cacheMaxAgeMs?: number;
  /** Minimum time between refetches triggered by an unknown `kid`, in ms. Default 30000 (30 seconds). */
  cooldownMs?: number;
  /** Fetch timeout in ms. Default 3000. */
  timeoutMs?: number;
}

/** A key function for `jwtVerify` plus a marker of which key set it currently holds. */
export interface KeySource {
  readonly getKey: JWTVerifyGetKey;
  /**
   * Changes whenever a new key set is loaded; `undefined` while no fresh set is
   * held. Anything derived from a verification (the token cache) is only valid
   * for the version it was made under.
   */
  version(): number | undefined;
}

/**
 * Builds the key source for a verifier. Call once at module scope: the cache
 * lives in the returned object.
 *
 * @example
 * const keys = createKeySource({ jwksUrl: new URL("https://app.example.com/api/auth/jwks") });
 */
export function createKeySource(options: KeySourceOptions): KeySource {
  const { jwksUrl, jwks, cacheMaxAgeMs = 600_000, cooldownMs = 30_000, timeoutMs = 3_000 } = options;
  if (jwks) {
    const getKey = createLocalJWKSet(jwks);
    return { getKey, version: () => 0 };
  }
  if (!jwksUrl) throw new TypeError("createKeySource needs jwksUrl or jwks");
  // jose writes `uat` (time of the last successful fetch) into this object on every reload.
  const cache = {} as ExportedJWKSCache;
  const remote = createRemoteJWKSet(jwksUrl, {
    cacheMaxAge: cacheMaxAgeMs,
    cooldownDuration: cooldownMs,
    timeoutDuration: timeoutMs,
    [jwksCache]: cache,
  });
  return { getKey: remote, version: () => (remote.fresh ? cache.uat : undefined) };
}
