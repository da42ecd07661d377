/**
 * Keys on the edge: our key source over jose's fetcher, against a real
 * loopback JWKS server; and the verified-token cache tied to the key set.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { KeySource } from "@/lib/edge/keys";
import { createKeySource } from "@/lib/edge/keys";
import { TokenCache } from "@/lib/edge/token-cache";
import { createVerifier } from "@/lib/edge/verify";
import type { JwksServer } from "../helpers/jwks-server";
import { startJwksServer } from "../helpers/jwks-server";
import { AUDIENCE, ISSUER, jwksOf, makeKey, sign } from "../helpers/tokens";

let server: JwksServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Counts how often jose is asked for a key (i.e. how many full verifications ran). */
function counting(inner: KeySource): KeySource & { calls: () => number } {
  let calls = 0;
  return {
    getKey: (header, token) => {
      calls++;
      return inner.getKey(header, token);
    },
    version: () => inner.version(),
    fetches: () => inner.fetches(),
    calls: () => calls,
  };
}

describe("remote JWKS", () => {
  it("fetches the key set once for many concurrent first requests (single flight)", async () => {
    const key = await makeKey();
    server = await startJwksServer(jwksOf(key));
    const verify = createVerifier({
      keys: createKeySource({ jwksUrl: server.url }),
      issuer: ISSUER,
      audience: AUDIENCE,
      cacheEntries: 0,
    });
    const tokens = await Promise.all(Array.from({ length: 30 }, (_, i) => sign(key, { claims: { sub: `u${i}` } })));
    const results = await Promise.all(tokens.map((t) => verify(t)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(server.hits()).toBe(1);
  });

  it("reports jwks_unavailable when the endpoint is down, and recovers without any sign-out", async () => {
    const key = await makeKey();
    server = await startJwksServer(jwksOf(key));
    server.setStatus(503);
    const verify = createVerifier({
      keys: createKeySource({ jwksUrl: server.url }),
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const token = await sign(key);
    expect(await verify(token)).toEqual({ ok: false, reason: "jwks_unavailable" });
    server.setStatus(200);
    // The next fetch waits for the gap (fetches stay bounded during an outage), then succeeds.
    await expect.poll(async () => (await verify(token)).ok, { timeout: 10_000, interval: 100 }).toBe(true);
  });

  it("stops a withdrawn key's cached tokens as soon as the key set is refetched", async () => {
    const key = await makeKey();
    const replacement = await makeKey();
    server = await startJwksServer(jwksOf(key));
    const keys = counting(createKeySource({ jwksUrl: server.url, cacheMaxAgeMs: 100, cooldownMs: 50 }));
    const verify = createVerifier({ keys, issuer: ISSUER, audience: AUDIENCE });
    const token = await sign(key);
    expect((await verify(token)).ok).toBe(true);
    expect((await verify(token)).ok).toBe(true);
    expect(keys.calls()).toBe(1); // second check served from the token cache
    server.setKeys(jwksOf(replacement));
    await sleep(150); // key set now stale: the next request refreshes it in the background
    await expect.poll(async () => (await verify(token)).ok, { timeout: 10_000, interval: 50 }).toBe(false);
    expect(await verify(token)).toEqual({ ok: false, reason: "unknown_kid" });
  });
});

describe("verified-token cache", () => {
  it("serves a repeated token (as a fresh string) without a second signature check", async () => {
    const key = await makeKey();
    const keys = counting(createKeySource({ jwks: jwksOf(key) }));
    const verify = createVerifier({ keys, issuer: ISSUER, audience: AUDIENCE });
    const token = await sign(key);
    await verify(token);
    const fresh = Buffer.from(token).toString();
    expect(await verify(fresh)).toMatchObject({ ok: true, claims: { id: "user-1" } });
    expect(keys.calls()).toBe(1);
  });

  it("re-checks exp on every hit", async () => {
    const key = await makeKey();
    let now = new Date();
    const verify = createVerifier({
      keys: createKeySource({ jwks: jwksOf(key) }),
      issuer: ISSUER,
      audience: AUDIENCE,
      now: () => now,
    });
    const token = await sign(key);
    expect((await verify(token)).ok).toBe(true);
    now = new Date(now.getTime() + 400_000);
    expect(await verify(token)).toEqual({ ok: false, reason: "expired" });
  });

  it("stays bounded under a flood of distinct tokens", async () => {
    const key = await makeKey();
    const cache = new TokenCache({ keys: createKeySource({ jwks: jwksOf(key) }), maxEntries: 100 });
    const claims = { id: "u", email: "", name: "", role: "user", iat: 0, exp: 9_999_999_999 };
    for (let i = 0; i < 5_000; i++) cache.set(`token-${i}`, claims);
    expect(cache.size).toBe(100);
    expect(cache.get("token-4999", 0)).toBeDefined();
    expect(cache.get("token-0", 0)).toBeUndefined();
  });

  it("never caches a failed verification", async () => {
    const key = await makeKey();
    const keys = counting(createKeySource({ jwks: jwksOf(key) }));
    const verify = createVerifier({ keys, issuer: ISSUER, audience: AUDIENCE });
    const forged = await sign({ ...(await makeKey()), kid: key.kid });
    await verify(forged);
    await verify(forged);
    expect(keys.calls()).toBe(2);
  });
});
