/**
 * Key rotation as an isolate sees it: a real loopback JWKS server whose key
 * set the test changes, real Ed25519 tokens, the real verifier. Proves that a
 * new key is accepted at once (no 30 s cooldown), that forged kids cost a
 * bounded number of fetches, and what `AUTH_JWKS` does with an unknown kid.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createKeySource } from "@/lib/edge/keys";
import type { Verifier } from "@/lib/edge/verify";
import { createVerifier } from "@/lib/edge/verify";
import type { JwksServer } from "../helpers/jwks-server";
import { startJwksServer } from "../helpers/jwks-server";
import type { TestKey } from "../helpers/tokens";
import { AUDIENCE, ISSUER, jwksOf, makeKey, sign } from "../helpers/tokens";

let server: JwksServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function verifierOf(keys: ReturnType<typeof createKeySource>, cacheEntries = 1000): Verifier {
  return createVerifier({ keys, issuer: ISSUER, audience: AUDIENCE, cacheEntries });
}

async function forgedTokens(count: number, prefix: string): Promise<string[]> {
  const attacker = await makeKey();
  return Promise.all(Array.from({ length: count }, (_, i) => sign({ ...attacker, kid: `${prefix}-${i}` } as TestKey)));
}

describe("a rotation seen from a warm isolate", () => {
  it("accepts a token of a key published right after the last fetch (no cooldown refusal)", async () => {
    const oldKey = await makeKey();
    server = await startJwksServer(jwksOf(oldKey));
    const keys = createKeySource({ jwksUrl: server.url, issuer: ISSUER, cooldownMs: 500 });
    const verify = verifierOf(keys);
    expect((await verify(await sign(oldKey))).ok).toBe(true);
    const newKey = await makeKey();
    server.setKeys(jwksOf(oldKey, newKey));
    // jose alone would refuse this for 30 s after the fetch; here the request waits for the gap, then fetches.
    expect(await verify(await sign(newKey))).toMatchObject({ ok: true });
    expect(server.hits()).toBe(2);
    expect((await verify(await sign(oldKey))).ok).toBe(true); // old tokens keep working
  }, 60_000);

  it("costs one fetch for a burst of forged kids arriving together", async () => {
    const key = await makeKey();
    server = await startJwksServer(jwksOf(key));
    const keys = createKeySource({ jwksUrl: server.url, issuer: ISSUER, cooldownMs: 200 });
    const verify = verifierOf(keys);
    expect((await verify(await sign(key))).ok).toBe(true);
    const results = await Promise.all((await forgedTokens(300, "burst")).map((t) => verify(t)));
    expect(new Set(results.map((r) => !r.ok && r.reason))).toEqual(new Set(["unknown_kid"]));
    expect(server.hits()).toBe(2); // the cold fetch, then one refetch shared by all 300
  });

  it("keeps fetches at least the gap apart under a sustained flood of forged kids", async () => {
    const key = await makeKey();
    server = await startJwksServer(jwksOf(key));
    const gap = 150;
    const keys = createKeySource({ jwksUrl: server.url, issuer: ISSUER, cooldownMs: gap });
    const verify = verifierOf(keys);
    expect((await verify(await sign(key))).ok).toBe(true);
    const forged = await forgedTokens(400, "flood");
    const started = Date.now();
    let sent = 0;
    const pending: Promise<unknown>[] = [];
    for (const token of forged) {
      pending.push(verify(token));
      if (++sent % 40 === 0) await sleep(50); // waves, so the flood spans many gaps
    }
    const results = await Promise.all(pending);
    const elapsed = Date.now() - started;
    expect(results.every((r) => (r as { ok: boolean }).ok === false)).toBe(true);
    // The bound, from the design: fetches start at least `gap` apart, one at a time.
    expect(server.hits() - 1).toBeLessThanOrEqual(Math.floor(elapsed / gap) + 1);
    expect(keys.fetches()).toBe(server.hits());
  });

  it("accepts a valid new-key token that arrives while forged kids keep the gap busy", async () => {
    const oldKey = await makeKey();
    server = await startJwksServer(jwksOf(oldKey));
    const keys = createKeySource({ jwksUrl: server.url, issuer: ISSUER, cooldownMs: 200 });
    const verify = verifierOf(keys);
    expect((await verify(await sign(oldKey))).ok).toBe(true);
    const flood = (await forgedTokens(50, "busy")).map((t) => verify(t));
    await sleep(20); // a refetch for the forged kids is now due or under way
    const newKey = await makeKey();
    server.setKeys(jwksOf(oldKey, newKey));
    expect(await verify(await sign(newKey))).toMatchObject({ ok: true });
    await Promise.all(flood);
  });

  it("fetches nothing for an unknown kid of another issuer or of an expired token", async () => {
    const key = await makeKey();
    server = await startJwksServer(jwksOf(key));
    const verify = verifierOf(createKeySource({ jwksUrl: server.url, issuer: ISSUER, cooldownMs: 0 }));
    expect((await verify(await sign(key))).ok).toBe(true);
    const stranger = { ...(await makeKey()), kid: "stranger" } as TestKey;
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      await sign(stranger, { claims: { iss: "https://evil.example" } }),
      await sign(stranger, { claims: { iat: now - 900, exp: now - 600 } }),
    ];
    for (const token of cases) expect((await verify(token)).ok).toBe(false);
    expect(server.hits()).toBe(1);
  });

  it("keeps cached tokens when a refetch only adds a key, and drops them when a key is withdrawn", async () => {
    const oldKey = await makeKey();
    server = await startJwksServer(jwksOf(oldKey));
    const keys = createKeySource({ jwksUrl: server.url, issuer: ISSUER, cooldownMs: 0 });
    const verify = verifierOf(keys);
    expect((await verify(await sign(oldKey))).ok).toBe(true);
    const before = keys.version();
    const newKey = await makeKey();
    server.setKeys(jwksOf(oldKey, newKey));
    expect((await verify(await sign(newKey))).ok).toBe(true);
    expect(keys.version()).toBe(before); // only grew: every cached token stays a map lookup
    server.setKeys(jwksOf(newKey));
    expect((await verify(await sign({ ...oldKey, kid: "other" } as TestKey))).ok).toBe(false); // triggers a refetch
    expect(keys.version()).not.toBe(before);
  });
});

describe("outages", () => {
  it("keeps verifying with the last set when a stale set cannot be refreshed", async () => {
    const key = await makeKey();
    server = await startJwksServer(jwksOf(key));
    const keys = createKeySource({ jwksUrl: server.url, issuer: ISSUER, cacheMaxAgeMs: 50, cooldownMs: 0 });
    const verify = verifierOf(keys, 0);
    const token = await sign(key);
    expect((await verify(token)).ok).toBe(true);
    server.setStatus(503);
    await sleep(100);
    expect(await verify(token)).toMatchObject({ ok: true }); // never waits on the refresh, never signs out
    await expect.poll(() => server?.hits(), { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(2);
    expect(await verify(token)).toMatchObject({ ok: true });
  });

  it("fails fast and fetches once per gap while a cold isolate cannot reach the JWKS", async () => {
    const key = await makeKey();
    server = await startJwksServer(jwksOf(key));
    server.setStatus(503);
    const verify = verifierOf(createKeySource({ jwksUrl: server.url, issuer: ISSUER, cooldownMs: 60_000 }));
    const token = await sign(key);
    const results = await Promise.all(Array.from({ length: 50 }, () => verify(token)));
    expect(new Set(results.map((r) => !r.ok && r.reason))).toEqual(new Set(["jwks_unavailable"]));
    expect(await verify(token)).toEqual({ ok: false, reason: "jwks_unavailable" });
    expect(server.hits()).toBe(1);
  });
});

describe("AUTH_JWKS with a rotation", () => {
  it("never fetches for keys it holds; consults the remote set for an unknown kid of our issuer", async () => {
    const oldKey = await makeKey();
    const newKey = await makeKey();
    server = await startJwksServer(jwksOf(oldKey, newKey));
    const keys = createKeySource({ jwks: jwksOf(oldKey), jwksUrl: server.url, issuer: ISSUER, cooldownMs: 0 });
    const verify = verifierOf(keys);
    expect((await verify(await sign(oldKey))).ok).toBe(true);
    expect(server.hits()).toBe(0);
    expect(await verify(await sign(newKey))).toMatchObject({ ok: true });
    expect(server.hits()).toBe(1);
    expect(keys.version()).toBe(0); // the environment's keys only grew
  });

  it("keeps the environment's keys when the remote set drops them, and stays authoritative when it is down", async () => {
    const pinnedKey = await makeKey();
    server = await startJwksServer(jwksOf(await makeKey()));
    const keys = createKeySource({ jwks: jwksOf(pinnedKey), jwksUrl: server.url, issuer: ISSUER, cooldownMs: 0 });
    const verify = verifierOf(keys, 0);
    expect((await verify(await sign({ ...pinnedKey, kid: "unknown-1" } as TestKey))).ok).toBe(false);
    expect(await verify(await sign(pinnedKey))).toMatchObject({ ok: true });
    server.setStatus(503);
    const unknown = await sign({ ...(await makeKey()), kid: "unknown-2" } as TestKey);
    expect(await verify(unknown)).toEqual({ ok: false, reason: "unknown_kid" }); // not an outage: the pinned set decides
    expect(await verify(await sign(pinnedKey))).toMatchObject({ ok: true });
  });

  it("without a JWKS URL, AUTH_JWKS alone never fetches", async () => {
    const key = await makeKey();
    const keys = createKeySource({ jwks: jwksOf(key), issuer: ISSUER });
    const verify = verifierOf(keys);
    expect(await verify(await sign({ ...(await makeKey()), kid: "x" } as TestKey))).toEqual({
      ok: false,
      reason: "unknown_kid",
    });
    expect(keys.fetches()).toBe(0);
  });
});
