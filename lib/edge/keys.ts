/**
 * Where the edge gets its public keys: `AUTH_JWKS` from the environment when
 * given, else the app's own `/api/auth/jwks`, fetched once per isolate and
 * kept. jose fetches (timeout, validation) and matches keys; this module
 * decides *when* to fetch, so that a key rotation never costs a rejection:
 *
 * - a token whose `kid` is unknown, that names our issuer and has not expired,
 *   makes the isolate fetch the set again. jose would refuse that for 30 s
 *   after any fetch (its cooldown), which is exactly the window right after a
 *   rotation; here the request waits for the next fetch instead (at most a
 *   fetch under way, the minimum gap and one fetch) and is then verified against the new set;
 * - fetches are single flight and at least `cooldownMs` apart, however many
 *   forged kids arrive: over T ms at most T / cooldownMs + 1 fetches;
 * - a set older than its max age is refreshed in the background: once warm,
 *   no request waits on the network, and an unreachable JWKS keeps the last set;
 * - with `AUTH_JWKS`, the same unknown-`kid` fetch consults the remote set and
 *   adds its keys (a rotation done without `--publish-only` still verifies).
 */

import type { JSONWebKeySet, JWK, JWTVerifyGetKey } from "jose";
import { base64url, createLocalJWKSet, createRemoteJWKSet, errors } from "jose";

/** How long a fetched key set is used before a background refresh, in ms (the edge's JWKS cache age). */
export const JWKS_CACHE_MAX_AGE_MS = 600_000;

export interface KeySourceOptions {
  /** The JWKS endpoint, from configuration (never from the request). */
  jwksUrl?: URL | undefined;
  /** Static keys (`AUTH_JWKS`): used with no network; `jwksUrl` is then consulted only for an unknown `kid`. */
  jwks?: JSONWebKeySet | undefined;
  /** Only tokens whose (unverified) `iss` is this may trigger a fetch for an unknown `kid`. Default: any. */
  issuer?: string | undefined;
  /** Age after which fetched keys are refreshed in the background, in ms. Default 600000 (10 minutes). */
  cacheMaxAgeMs?: number;
  /** Minimum gap between two fetches, in ms; an unknown `kid` within it waits for the next fetch. Default 2000. */
  cooldownMs?: number;
  /** Fetch timeout in ms. Default 3000. */
  timeoutMs?: number;
}

/** A key function for `jwtVerify` plus a marker of which key set it currently holds. */
export interface KeySource {
  readonly getKey: JWTVerifyGetKey;
  /**
   * Changes whenever a key is withdrawn or replaced (a set that only adds keys
   * keeps it); `undefined` while no set is held. Anything derived from a
   * verification (the token cache) is only valid for the version it was made under.
   */
  version(): number | undefined;
  /** Fetches started so far (for tests and the benchmark). */
  fetches(): number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `kid` → the key as JSON, to tell a set that only grew from one that lost or changed a key. */
function fingerprint(keys: readonly JWK[]): Map<string, string> {
  return new Map(keys.map((key, i) => [key.kid ?? `#${i}`, JSON.stringify(key)]));
}

function onlyGrew(before: Map<string, string>, after: Map<string, string>): boolean {
  for (const [kid, key] of before) if (after.get(kid) !== key) return false;
  return true;
}

/** Whether an unknown-`kid` token is worth a fetch: ours by its (unverified) claims and not expired. */
function worthFetching(payload: string | Uint8Array, issuer: string | undefined): boolean {
  try {
    // An unverified read: it only decides whether to fetch, never whether to accept.
    const text = typeof payload === "string" ? new TextDecoder().decode(base64url.decode(payload)) : "";
    const { iss, exp } = JSON.parse(text) as { iss?: unknown; exp?: unknown };
    if (issuer !== undefined && iss !== issuer) return false;
    return typeof exp !== "number" || exp * 1000 > Date.now();
  } catch {
    return false;
  }
}

/**
 * Builds the key source for a verifier. Call once at module scope: the cache
 * lives in the returned object.
 *
 * @example
 * const keys = createKeySource({ jwksUrl: new URL("https://app.example.com/api/auth/jwks"), issuer });
 */
export function createKeySource(options: KeySourceOptions): KeySource {
  const { jwksUrl, jwks: pinned, issuer, cacheMaxAgeMs = JWKS_CACHE_MAX_AGE_MS } = options;
  const { cooldownMs = 2_000, timeoutMs = 3_000 } = options;
  if (!jwksUrl && !pinned) throw new TypeError("createKeySource needs jwksUrl or jwks");
  // jose as fetcher only: it never refetches by itself (we decide when), it validates and times out.
  const remote = jwksUrl
    ? createRemoteJWKSet(jwksUrl, { cacheMaxAge: Infinity, cooldownDuration: Infinity, timeoutDuration: timeoutMs })
    : undefined;

  let local: JWTVerifyGetKey | undefined = pinned ? createLocalJWKSet(pinned) : undefined;
  let held = fingerprint(pinned?.keys ?? []);
  let version: number | undefined = pinned ? 0 : undefined;
  let fetchedAt = 0; // last successful fetch (ms)
  let startedAt = Number.NEGATIVE_INFINITY; // last fetch started (ms)
  let inflight: Promise<boolean> | undefined;
  let fetches = 0;

  function adopt(fetched: JSONWebKeySet): void {
    // Keys from the environment are never dropped: the remote set only adds to them.
    const pinnedKids = new Set(pinned?.keys.map((k) => k.kid));
    const next = pinned ? [...pinned.keys, ...fetched.keys.filter((k) => !pinnedKids.has(k.kid))] : fetched.keys;
    const print = fingerprint(next);
    if (version === undefined || !onlyGrew(held, print)) version = (version ?? 0) + 1;
    held = print;
    local = createLocalJWKSet({ keys: next });
    fetchedAt = Date.now();
  }

  /** One fetch, shared by every caller while it runs. Resolves true on success, never rejects. */
  function fetchOnce(): Promise<boolean> {
    if (!remote) return Promise.resolve(false);
    inflight ??= (async () => {
      startedAt = Date.now();
      fetches++;
      try {
        await remote.reload();
        const fetched = remote.jwks();
        if (fetched) adopt(fetched);
        return fetched !== undefined;
      } catch {
        return false;
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  }

  /** Waits until a fetch that started at or after `since` has finished, keeping fetches `cooldownMs` apart. */
  async function fetchedSince(since: number): Promise<boolean> {
    for (;;) {
      if (inflight) {
        const flightStart = startedAt; // of the flight awaited here, not of one started meanwhile
        const ok = await inflight;
        if (flightStart >= since) return ok;
        continue;
      }
      const wait = startedAt + cooldownMs - Date.now();
      if (wait > 0) await sleep(wait);
      else return fetchOnce();
    }
  }

  /** Stale: refresh in the background, keep verifying with what we hold. */
  function refreshIfStale(now: number): void {
    if (!pinned && local && now - fetchedAt > cacheMaxAgeMs && now - startedAt >= cooldownMs) void fetchOnce();
  }

  const getKey: JWTVerifyGetKey = async (header, token) => {
    const arrived = Date.now();
    if (!local) {
      // Cold: one fetch for every request waiting; after a failure, fail fast until the gap has passed.
      if (!inflight && arrived - startedAt < cooldownMs) throw new errors.JWKSTimeout("JWKS fetch failed recently");
      await fetchOnce();
      if (!local) throw new errors.JWKSTimeout("JWKS could not be fetched");
    } else refreshIfStale(arrived);
    try {
      return await (local as JWTVerifyGetKey)(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || !remote || !worthFetching(token.payload, issuer)) throw error;
    }
    const ok = await fetchedSince(arrived);
    // A pinned set stays authoritative when the remote one cannot be read: the kid is simply unknown.
    if (!ok && !pinned) throw new errors.JWKSTimeout("JWKS could not be fetched for an unknown kid");
    return (local as JWTVerifyGetKey)(header, token);
  };

  // The token cache asks for the version on every hit, so a stale set is noticed even when no signature is checked.
  const currentVersion = () => {
    refreshIfStale(Date.now());
    return version;
  };
  return { getKey, version: currentVersion, fetches: () => fetches };
}
