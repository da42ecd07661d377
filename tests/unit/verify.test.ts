import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createKeySource } from "@/lib/edge/keys";
import type { Verifier, VerifyFailure } from "@/lib/edge/verify";
import { createVerifier } from "@/lib/edge/verify";
import type { TestKey } from "../helpers/tokens";
import { AUDIENCE, b64, ISSUER, jwksOf, makeKey, sign, signRaw } from "../helpers/tokens";

let key: TestKey;
let otherKey: TestKey;
let verify: Verifier;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  key = await makeKey("main");
  otherKey = await makeKey("other");
  verify = createVerifier({
    keys: createKeySource({ jwks: jwksOf(key) }),
    issuer: ISSUER,
    audience: AUDIENCE,
    cacheEntries: 0,
  });
});

function flip(token: string, part: 0 | 1 | 2): string {
  const parts = token.split(".");
  const bytes = Buffer.from(parts[part] as string, "base64url");
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(".");
}

describe("verifier", () => {
  it("accepts a valid token and returns its claims", async () => {
    const result = await verify(await sign(key));
    expect(result).toMatchObject({
      ok: true,
      claims: { id: "user-1", email: "ann@example.com", name: "Ann", role: "user" },
    });
  });

  it("defaults a missing role to user", async () => {
    const result = await verify(await sign(key, { claims: { role: undefined } }));
    expect(result.ok && result.claims.role).toBe("user");
  });

  // One table, one loop: adding an attack is one line.
  const cases: Array<[string, () => Promise<string | null | undefined>, VerifyFailure]> = [
    ["no token", async () => undefined, "missing"],
    ["empty string", async () => "", "missing"],
    ["garbage", async () => "not-a-jwt", "malformed"],
    ["two parts", async () => (await sign(key)).split(".").slice(0, 2).join("."), "malformed"],
    ["oversized token", async () => sign(key, { claims: { pad: "x".repeat(5000) } }), "malformed"],
    ["expired", async () => sign(key, { claims: { iat: now() - 400, exp: now() - 60 } }), "expired"],
    ["iat in the future", async () => sign(key, { claims: { iat: now() + 120, exp: now() + 400 } }), "claims"],
    [
      "iat older than the max token age",
      async () => sign(key, { claims: { iat: now() - 900, exp: now() + 60 } }),
      "expired",
    ],
    ["nbf in the future", async () => sign(key, { claims: { nbf: now() + 120 } }), "claims"],
    ["missing exp", async () => sign(key, { claims: { exp: undefined } }), "claims"],
    ["missing iat", async () => sign(key, { claims: { iat: undefined } }), "claims"],
    ["missing sub", async () => sign(key, { claims: { sub: undefined } }), "claims"],
    ["empty sub", async () => sign(key, { claims: { sub: "" } }), "claims"],
    ["wrong issuer", async () => sign(key, { claims: { iss: "https://evil.example" } }), "claims"],
    ["wrong audience", async () => sign(key, { claims: { aud: "https://other.example" } }), "claims"],
    ["signed by another key under our kid", async () => sign({ ...otherKey, kid: key.kid }), "bad_signature"],
    ["unknown kid", async () => sign(otherKey), "unknown_kid"],
    ["bit-flipped signature", async () => flip(await sign(key), 2), "bad_signature"],
    [
      "tampered payload",
      async () => {
        const [h, , s] = (await sign(key)).split(".");
        return `${h}.${b64({ sub: "admin", role: "admin", iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 300 })}.${s}`;
      },
      "bad_signature",
    ],
    ["empty signature", async () => `${(await sign(key)).split(".").slice(0, 2).join(".")}.`, "malformed"],
    ["truncated signature", async () => (await sign(key)).slice(0, -10), "bad_signature"],
    [
      "zero signature",
      async () => `${(await sign(key)).split(".").slice(0, 2).join(".")}.${b64(Buffer.alloc(64).toString("latin1"))}`,
      "bad_signature",
    ],
    ["alg none", async () => `${b64({ alg: "none", kid: key.kid })}.${(await sign(key)).split(".")[1]}.`, "malformed"],
    ["alg None", async () => `${b64({ alg: "None", kid: key.kid })}.${(await sign(key)).split(".")[1]}.x`, "malformed"],
    ["alg missing", async () => `${b64({ kid: key.kid })}.${(await sign(key)).split(".")[1]}.x`, "malformed"],
    [
      "HS256 with the public key as secret",
      async () => {
        const head = b64({ alg: "HS256", kid: key.kid });
        const body = (await sign(key)).split(".")[1];
        const mac = createHmac("sha256", JSON.stringify(key.publicJwk)).update(`${head}.${body}`).digest("base64url");
        return `${head}.${body}.${mac}`;
      },
      "malformed",
    ],
    [
      "embedded jwk header (attacker key)",
      async () => sign(otherKey, { header: { kid: key.kid, jwk: otherKey.publicJwk } }),
      "bad_signature",
    ],
    [
      "jku header",
      async () => sign(otherKey, { header: { kid: key.kid, jku: "https://evil.example/jwks" } }),
      "bad_signature",
    ],
    [
      "x5u header",
      async () => sign(otherKey, { header: { kid: key.kid, x5u: "https://evil.example/cert" } }),
      "bad_signature",
    ],
    ["x5c header", async () => sign(otherKey, { header: { kid: key.kid, x5c: ["MIIB"] } }), "bad_signature"],
    ["kid path traversal", async () => sign(key, { header: { kid: "../../etc/passwd" } }), "unknown_kid"],
    ["kid injection", async () => sign(key, { header: { kid: "' OR 1=1 --" } }), "unknown_kid"],
    [
      "unknown crit header",
      async () =>
        signRaw(
          key,
          { alg: "EdDSA", kid: key.kid, crit: ["exp-x"], "exp-x": 1 },
          { sub: "user-1", iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 300 },
        ),
      "malformed",
    ],
  ];

  it.each(cases)("refuses %s", async (_name, make, reason) => {
    const result = await verify(await make());
    expect(result).toEqual({ ok: false, reason });
  });
});
