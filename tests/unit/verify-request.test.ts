/**
 * `verifyRequest`, the verifier for any backend: real Ed25519 keys, real
 * signed tokens, keys served by a real loopback JWKS server. Nothing about
 * jose is faked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revocationHandle } from "@/lib/edge/revocation-feed";
import type { VerifyFailure } from "@/lib/edge/verify";
import type { VerifyRequestOptions } from "@/lib/edge/verify-request";
import { bearerChallenge, verifyRequest } from "@/lib/edge/verify-request";
import { FEED_PATH, startFeedServer } from "../helpers/feed-server";
import type { JwksServer } from "../helpers/jwks-server";
import { startJwksServer } from "../helpers/jwks-server";
import type { TestKey } from "../helpers/tokens";
import { AUDIENCE, b64, ISSUER, jwksOf, makeKey, sign } from "../helpers/tokens";

let key: TestKey;
let otherKey: TestKey;
let jwks: JwksServer;
let options: VerifyRequestOptions;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  key = await makeKey("app-key");
  otherKey = await makeKey("attacker-key");
  jwks = await startJwksServer(jwksOf(key));
  options = { jwksUrl: jwks.url, issuer: ISSUER, audience: AUDIENCE };
});
afterAll(() => jwks?.close());

function bearer(token: string, extra: Record<string, string> = {}): Request {
  return new Request("http://backend.test/whoami", { headers: { authorization: `Bearer ${token}`, ...extra } });
}

describe("verifyRequest", () => {
  it("accepts a Bearer token signed by the app's key and returns the claims and the token", async () => {
    const token = await sign(key);
    const result = await verifyRequest(bearer(token), options);
    expect(result).toEqual({
      ok: true,
      token,
      claims: expect.objectContaining({ id: "user-1", email: "ann@example.com", name: "Ann", role: "user" }),
    });
  });

  it("reads Node's IncomingMessage-style header records (Express, node:http)", async () => {
    const token = await sign(key);
    const result = await verifyRequest(
      { headers: { authorization: `bearer ${token}`, "x-other": ["a", "b"] } },
      options,
    );
    expect(result.ok).toBe(true);
  });

  it("ignores the access cookie unless cookieName is given, then accepts it", async () => {
    const token = await sign(key);
    const cookieOnly = new Request("http://backend.test/", { headers: { cookie: `eg.access=${token}` } });
    expect(await verifyRequest(cookieOnly, options)).toMatchObject({ ok: false, reason: "missing", status: 401 });
    expect(await verifyRequest(cookieOnly, { ...options, cookieName: "eg.access" })).toMatchObject({ ok: true });
  });

  // One table, one loop: each hostile request and the failure code it must get.
  const hostile: Array<[string, () => Promise<Request>, VerifyFailure]> = [
    ["no Authorization header", async () => new Request("http://backend.test/"), "missing"],
    [
      "Basic credentials",
      async () => new Request("http://b.test/", { headers: { authorization: "Basic YTpi" } }),
      "malformed",
    ],
    [
      "Bearer with nothing after it",
      async () => new Request("http://b.test/", { headers: { authorization: "Bearer " } }),
      "malformed",
    ],
    ["garbage token", async () => bearer("not.a.jwt"), "malformed"],
    [
      "expired token",
      async () => bearer(await sign(key, { claims: { iat: now() - 400, exp: now() - 60 } })),
      "expired",
    ],
    [
      "signed by another key under the app's kid (forged)",
      async () => bearer(await sign({ ...otherKey, kid: key.kid })),
      "bad_signature",
    ],
    ["signed by an unknown key", async () => bearer(await sign(otherKey)), "unknown_kid"],
    [
      "unsigned (alg none)",
      async () => bearer(`${b64({ alg: "none", kid: key.kid })}.${(await sign(key)).split(".")[1]}.`),
      "malformed",
    ],
    ["wrong issuer", async () => bearer(await sign(key, { claims: { iss: "https://evil.example" } })), "claims"],
    ["wrong audience", async () => bearer(await sign(key, { claims: { aud: "https://other.example" } })), "claims"],
    [
      "a cookie and a Bearer token that disagree (cookie accepted)",
      async () => bearer(await sign(key), { cookie: `eg.access=${await sign(key, { claims: { sub: "user-2" } })}` }),
      "malformed",
    ],
  ];
  for (const [name, build, reason] of hostile) {
    it(`refuses ${name} with 401 ${reason}`, async () => {
      const result = await verifyRequest(await build(), { ...options, cookieName: "eg.access" });
      expect(result).toEqual({ ok: false, reason, status: 401 });
    });
  }

  it("fetches the JWKS once for many requests with the same options", async () => {
    const server = await startJwksServer(jwksOf(key));
    try {
      const opts = { jwksUrl: server.url, issuer: ISSUER, audience: AUDIENCE };
      for (let i = 0; i < 5; i++) {
        const result = await verifyRequest(bearer(await sign(key, { claims: { sub: `user-${i}` } })), opts);
        expect(result.ok).toBe(true);
      }
      expect(server.hits()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("answers 503 jwks_unavailable, not 401, when the keys cannot be fetched", async () => {
    const server = await startJwksServer(jwksOf(key));
    server.setStatus(503);
    try {
      const result = await verifyRequest(bearer(await sign(key)), {
        jwksUrl: server.url,
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      expect(result).toEqual({ ok: false, reason: "jwks_unavailable", status: 503 });
    } finally {
      await server.close();
    }
  });

  it("verifies against static keys without any fetch", async () => {
    const result = await verifyRequest(bearer(await sign(key)), {
      jwks: jwksOf(key),
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    expect(result.ok).toBe(true);
  });

  it("refuses options without a key source", async () => {
    await expect(verifyRequest(bearer("x"), { issuer: ISSUER, audience: AUDIENCE })).rejects.toThrow(TypeError);
  });

  it("builds the RFC 6750 challenge for a refusal", () => {
    expect(bearerChallenge("missing")).toBe("Bearer");
    expect(bearerChallenge("expired")).toBe('Bearer error="invalid_token", error_description="expired"');
  });
});

describe("verifyRequest with the revocation feed (opt-in)", () => {
  it("refuses a token the feed lists with 401 revoked, keeps every other, and ignores the feed without revocationsUrl", async () => {
    const feed = await startFeedServer();
    try {
      feed.setFeed({
        version: 1,
        generatedAt: now(),
        sessions: [await revocationHandle("sid", "gone")],
        users: {},
      });
      const revocationsUrl = new URL(FEED_PATH, feed.url);
      const revoked = await sign(key, { claims: { sid: "gone" } });
      const live = await sign(key, { claims: { sid: "live" } });
      expect(await verifyRequest(bearer(revoked), { ...options, revocationsUrl })).toEqual({
        ok: false,
        reason: "revoked",
        status: 401,
      });
      expect(await verifyRequest(bearer(live), { ...options, revocationsUrl })).toMatchObject({ ok: true });
      expect(await verifyRequest(bearer(revoked), options)).toMatchObject({ ok: true });
      expect(bearerChallenge("revoked")).toBe('Bearer error="invalid_token", error_description="revoked"');
    } finally {
      await feed.close();
    }
  });

  it("accepts valid tokens when the feed is unreachable (never a 503 or a sign-out for it)", async () => {
    const feed = await startFeedServer({ mode: "refuse" });
    try {
      const token = await sign(key, { claims: { sid: "any" } });
      const result = await verifyRequest(bearer(token), { ...options, revocationsUrl: new URL(FEED_PATH, feed.url) });
      expect(result).toMatchObject({ ok: true });
      expect(feed.hits("refuse")).toBe(1);
    } finally {
      await feed.close();
    }
  });
});
