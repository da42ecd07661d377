/**
 * Reads `AUTH_JWKS`: a public Ed25519 JWK set, nothing else. The verifier pins
 * EdDSA, so any other key is dead weight, and a private member (`d`) means
 * the signing key has been pasted where every edge isolate and log can see it.
 */
import type { JSONWebKeySet } from "jose";
import type { Fail } from "./variable";

/** Members that only private (or symmetric) JWKs carry (RFC 7518 §6). */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

function problemWithKey(key: unknown): string | undefined {
  if (!key || typeof key !== "object" || Array.isArray(key)) return "is not a JWK object";
  const jwk = key as Record<string, unknown>;
  const secret = PRIVATE_MEMBERS.find((member) => member in jwk);
  if (secret) {
    return `carries the private member "${secret}": paste only the public set (GET /api/auth/jwks or npm run keys:export), and rotate that key, it has leaked`;
  }
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string" || !/^[\w-]{43}$/.test(jwk.x)) {
    return `is not a public Ed25519 key (kty "OKP", crv "Ed25519", x): copy the set from GET /api/auth/jwks or npm run keys:export`;
  }
  if (jwk.alg !== undefined && jwk.alg !== "EdDSA") return `has alg ${JSON.stringify(jwk.alg)}; only EdDSA is verified`;
  if (jwk.use !== undefined && jwk.use !== "sig") return `has use ${JSON.stringify(jwk.use)}; it must be "sig"`;
  return undefined;
}

/**
 * Parses `value` as a public Ed25519 JWK set, or calls `fail` with what is
 * wrong (never with the value itself: it may hold a private key).
 */
export function parsePublicJwks(value: string, fail: Fail): JSONWebKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return fail("is not JSON: set it to the body of GET /api/auth/jwks (npm run keys:export prints it)");
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    return fail('must be a JWK set with at least one key: {"keys":[…]}, the body of GET /api/auth/jwks');
  }
  keys.forEach((key, index) => {
    const problem = problemWithKey(key);
    if (problem) fail(`key ${index + 1} ${problem}`);
  });
  return parsed as JSONWebKeySet;
}
