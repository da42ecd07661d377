/**
 * The one definition of a valid access JWT, shared by the middleware, the
 * server helpers and external backends. Web APIs and jose only.
 */

import type { JWTPayload } from "jose";
import { errors, jwtVerify } from "jose";
import type { KeySource } from "./keys";

/** Why a token was refused. Stable codes: decide on these, never on messages. */
export type VerifyFailure =
  | "missing" // no token at all
  | "malformed" // not a compact JWS, bad encoding, disallowed alg or header
  | "expired" // `exp` passed, or `iat` older than the allowed token age: refresh
  | "bad_signature" // signature does not match the key
  | "unknown_kid" // no key in the set matches the token's `kid`
  | "claims" // wrong `iss`/`aud`, `nbf`/`iat` in the future, missing `sub`/`exp`/`iat`
  | "revoked" // valid, but its session or user was revoked (the revocation feed lists it)
  | "jwks_unavailable"; // keys could not be fetched: transient, never a sign-out

/** The identity an access JWT carries. */
export interface AccessClaims {
  /** User id (`sub`). */
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: string;
  /** Expiry, seconds since the epoch (`exp`). */
  readonly exp: number;
  /** Issued at, seconds since the epoch (`iat`). */
  readonly iat: number;
  /** The session's id (`sid`; never its token), what the revocation feed lists. Absent in older tokens. */
  readonly sid?: string;
}

export type VerifyResult =
  | { readonly ok: true; readonly claims: AccessClaims }
  | { readonly ok: false; readonly reason: VerifyFailure };

export interface VerifierOptions {
  /** The key source, from `createKeySource` (module scope, so its cache survives requests). */
  keys: KeySource;
  /** Expected `iss`. */
  issuer: string;
  /** Expected `aud`. */
  audience: string;
  /** Upper bound on `now - iat`, in seconds; refuses old tokens whatever their `exp`. Default 300. */
  maxTokenAgeSeconds?: number;
  /** Clock skew tolerated on `exp`/`nbf`/`iat`, in seconds. Default 5. */
  clockToleranceSeconds?: number;
  /** Longest token accepted, in characters; longer is `malformed` before any parsing. Default 4096. */
  maxTokenLength?: number;
  /** Verified tokens remembered (exact string → claims); 0 disables. Default 1000. */
  cacheEntries?: number;
  /** Clock, for tests. Default `() => new Date()`. */
  now?: () => Date;
}

/**
 * A verifier bound to one key source and one issuer/audience. `cached` (when
 * present) answers synchronously for a token already verified against the
 * current key set and not expired, so a warm caller need not await anything.
 */
export interface Verifier {
  (token: string | null | undefined): Promise<VerifyResult>;
  cached?(token: string): AccessClaims | undefined;
}

import { TokenCache } from "./token-cache";

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Maps a jose error code onto the kit's failure codes. */
export function failureOf(error: unknown): VerifyFailure {
  if (!(error instanceof errors.JOSEError)) return "jwks_unavailable";
  switch (error.code) {
    case "ERR_JWT_EXPIRED":
      return "expired";
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return "bad_signature";
    case "ERR_JWKS_NO_MATCHING_KEY":
    case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
      return "unknown_kid";
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      return "claims";
    case "ERR_JWKS_TIMEOUT":
    case "ERR_JWKS_INVALID":
    case "ERR_JOSE_GENERIC": // jose's remote JWKS: non-200 or unparsable response
      return "jwks_unavailable";
    default:
      // ERR_JWS_INVALID, ERR_JWT_INVALID, ERR_JOSE_ALG_NOT_ALLOWED, ERR_JOSE_NOT_SUPPORTED...
      return "malformed";
  }
}

function toClaims(payload: JWTPayload): AccessClaims | null {
  const { sub, email, name, role, exp, iat, sid } = payload as Record<string, unknown>;
  if (typeof sub !== "string" || sub === "" || typeof exp !== "number" || typeof iat !== "number") return null;
  return {
    id: sub,
    email: typeof email === "string" ? email : "",
    name: typeof name === "string" ? name : "",
    role: typeof role === "string" && role !== "" ? role : "user",
    exp,
    iat,
    ...(typeof sid === "string" && sid !== "" ? { sid } : {}),
  };
}

/**
 * Builds a verifier: EdDSA only, issuer and audience pinned, `exp`/`iat`/`sub`
 * required, token age bounded (so an `iat` in the future is refused too).
 *
 * @example
 * const verify = createVerifier({ keys: createKeySource({ jwksUrl }), issuer, audience: issuer });
 * const result = await verify(token);
 * if (!result.ok && result.reason === "expired") refresh();
 */
export function createVerifier(options: VerifierOptions): Verifier {
  const {
    keys,
    issuer,
    audience,
    maxTokenAgeSeconds = 300,
    clockToleranceSeconds = 5,
    maxTokenLength = 4096,
    cacheEntries = 1000,
    now = () => new Date(),
  } = options;
  const cache = new TokenCache({ keys, maxEntries: cacheEntries });
  const cached = (token: string) => cache.get(token, now().getTime() / 1000 - clockToleranceSeconds);
  const verify = async (token: string | null | undefined): Promise<VerifyResult> => {
    if (!token) return { ok: false, reason: "missing" };
    const hit = cached(token);
    if (hit) return { ok: true, claims: hit };
    if (token.length > maxTokenLength || !COMPACT_JWS.test(token)) return { ok: false, reason: "malformed" };
    try {
      const { payload } = await jwtVerify(token, keys.getKey, {
        algorithms: ["EdDSA"],
        issuer,
        audience,
        requiredClaims: ["exp", "iat", "sub"],
        maxTokenAge: maxTokenAgeSeconds,
        clockTolerance: clockToleranceSeconds,
        currentDate: now(),
      });
      const claims = toClaims(payload);
      if (!claims) return { ok: false, reason: "claims" };
      cache.set(token, claims);
      return { ok: true, claims };
    } catch (error) {
      return { ok: false, reason: failureOf(error) };
    }
  };
  return Object.assign(verify, { cached });
}
