/**
 * Real Ed25519 keys and real signed tokens for verifier tests: nothing about
 * jose is faked, only the claims and headers we choose.
 */

import type { JSONWebKeySet, JWK, JWTPayload } from "jose";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

export const ISSUER = "http://localhost:3000";
export const AUDIENCE = "http://localhost:3000";

export interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function makeKey(kid = `k-${Math.random().toString(36).slice(2, 10)}`): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "EdDSA", use: "sig" };
  return { kid, privateKey, publicJwk };
}

export function jwksOf(...keys: TestKey[]): JSONWebKeySet {
  return { keys: keys.map((k) => k.publicJwk) };
}

export interface SignOptions {
  /** Claims merged over a valid default (sub, email, name, role, iss, aud, iat=now, exp=now+300). `undefined` deletes. */
  claims?: Record<string, unknown>;
  /** Header fields merged over `{ alg: "EdDSA", kid }`. */
  header?: Record<string, unknown>;
  /** Seconds since the epoch treated as now. */
  now?: number;
}

export async function sign(key: TestKey, options: SignOptions = {}): Promise<string> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    sub: "user-1",
    email: "ann@example.com",
    name: "Ann",
    role: "user",
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + 300,
    ...options.claims,
  };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
  return new SignJWT(claims as JWTPayload)
    .setProtectedHeader({ alg: "EdDSA", kid: key.kid, ...options.header } as { alg: string })
    .sign(key.privateKey);
}

/** base64url of a JSON value, for hand-built hostile tokens. */
export function b64(value: unknown): string {
  return Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
}

/** Signs any header/payload pair with WebCrypto directly (for headers jose itself refuses to produce). */
export async function signRaw(
  key: TestKey,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
): Promise<string> {
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = await crypto.subtle.sign("Ed25519", key.privateKey, new TextEncoder().encode(input));
  return `${input}.${Buffer.from(signature).toString("base64url")}`;
}
