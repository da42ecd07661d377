/**
 * The kit's verifier for any backend: a request in, a typed result out.
 * Web APIs and jose only, so the same file runs on Node (http, Express),
 * Bun, Deno, Cloudflare Workers and Hono. It is the verifier the middleware
 * uses (`createVerifier` over `createKeySource`), with the same failure codes,
 * the same JWKS caching and the same verified-token cache.
 */
import type { JSONWebKeySet } from "jose";
import { ACCESS_COOKIE } from "./config";
import { createKeySource } from "./keys";
import type { RevocationList } from "./revocation";
import { createRevocationList } from "./revocation";
import { fetchRevocationFeed } from "./revocation-fetch";
import { findToken } from "./token";
import type { AccessClaims, Verifier, VerifyFailure } from "./verify";
import { createVerifier } from "./verify";

export interface VerifyRequestOptions {
  /** The app's JWKS endpoint, e.g. `https://app.example.com/api/auth/jwks`. Needed unless `jwks` is given. */
  jwksUrl?: string | URL;
  /** A static public key set (the body of `/api/auth/jwks`); with `jwksUrl` too, that is consulted only for an unknown `kid`. */
  jwks?: JSONWebKeySet;
  /** Expected `iss`: the app's origin (`BETTER_AUTH_URL`). */
  issuer: string;
  /** Expected `aud`: the app's origin too, unless the app was configured otherwise. */
  audience: string;
  /** Also accept the token from this cookie (same-site backends). Default: `Authorization: Bearer` only. */
  cookieName?: string;
  /** Upper bound on `now - iat` in seconds; set it to the app's `AUTH_JWT_TTL`. Default 300. */
  maxTokenAgeSeconds?: number;
  /** Clock skew tolerated on `exp`/`nbf`/`iat`, in seconds. Default 5. */
  clockToleranceSeconds?: number;
  /** How long fetched keys are trusted, in ms. Default 600000 (10 minutes). */
  cacheMaxAgeMs?: number;
  /** Minimum gap between JWKS fetches, in ms; a token with an unknown `kid` waits for the next one. Default 2000. */
  cooldownMs?: number;
  /** JWKS fetch timeout in ms. Default 3000. */
  timeoutMs?: number;
  /** Clock, for tests. Default `() => new Date()`. */
  now?: () => Date;
  /**
   * Opt in to revocation: the app's feed, e.g. `https://app.example.com/api/auth/revocations`.
   * Held per process like the keys; a revoked token gets reason `revoked` (401). Unreachable: the last feed is kept.
   */
  revocationsUrl?: string | URL;
  /** The app's `AUTH_REVOCATION_INTERVAL`, in seconds: how fresh the feed is kept. Default 10. */
  revocationIntervalSeconds?: number;
}

/** What `verifyRequest` concludes: the verified identity, or why not and what to answer. */
export type VerifyRequestResult =
  | { readonly ok: true; readonly claims: AccessClaims; readonly token: string }
  | {
      readonly ok: false;
      readonly reason: VerifyFailure;
      /** 503 when keys could not be loaded (transient: never sign anyone out), else 401. */
      readonly status: 401 | 503;
    };

/** Anything with request headers: a Fetch `Request`, or Node's `IncomingMessage` (Express, `node:http`). */
export interface RequestLike {
  readonly headers: Headers | Readonly<Record<string, string | readonly string[] | undefined>>;
}

const MAX_VERIFIERS = 32;
// One verifier per key source and claim set, at module scope: jose's JWKS cache
// and the token cache live inside it, so they must outlive a single request.
const verifiers = new Map<string, Verifier>();
const clocks = new WeakMap<() => Date, number>();
let clockCount = 0;

function clockId(now: (() => Date) | undefined): number {
  if (!now) return 0;
  let id = clocks.get(now);
  if (id === undefined) {
    id = ++clockCount;
    clocks.set(now, id);
  }
  return id;
}

const revocationLists = new Map<string, RevocationList>();

function revocationsFor(url: string | URL, intervalSeconds: number | undefined): RevocationList {
  const id = `${String(url)} ${intervalSeconds ?? ""}`;
  let list = revocationLists.get(id);
  if (!list) {
    if (revocationLists.size >= MAX_VERIFIERS) revocationLists.delete(revocationLists.keys().next().value ?? "");
    const feedUrl = new URL(url);
    list = createRevocationList({ load: () => fetchRevocationFeed(feedUrl), intervalSeconds });
    revocationLists.set(id, list);
  }
  return list;
}

function verifierFor(options: VerifyRequestOptions): Verifier {
  const {
    jwksUrl,
    jwks,
    issuer,
    audience,
    now,
    revocationsUrl: _url,
    revocationIntervalSeconds: _s,
    ...rest
  } = options;
  const id = JSON.stringify([jwksUrl ? String(jwksUrl) : null, jwks ?? null, issuer, audience, rest, clockId(now)]);
  let verifier = verifiers.get(id);
  if (!verifier) {
    if (verifiers.size >= MAX_VERIFIERS) verifiers.delete(verifiers.keys().next().value ?? "");
    // Undefined fields fall back to the defaults of `createKeySource` and `createVerifier`.
    const { cacheMaxAgeMs, cooldownMs, timeoutMs, maxTokenAgeSeconds, clockToleranceSeconds } = rest;
    const keys = createKeySource({
      jwksUrl: jwksUrl ? new URL(jwksUrl) : undefined,
      jwks,
      issuer,
      cacheMaxAgeMs,
      cooldownMs,
      timeoutMs,
    });
    verifier = createVerifier({ keys, issuer, audience, maxTokenAgeSeconds, clockToleranceSeconds, now });
    verifiers.set(id, verifier);
  }
  return verifier;
}

function toHeaders(headers: RequestLike["headers"]): Headers {
  if (headers instanceof Headers) return headers;
  const out = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === "string") out.set(name, value);
    else if (Array.isArray(value)) for (const v of value) out.append(name, v);
  }
  return out;
}

/**
 * Verifies the access JWT a request carries (`Authorization: Bearer`, or the
 * cookie named in `cookieName`): EdDSA only, issuer and audience pinned,
 * `exp`/`iat`/`sub` required. Two different tokens on one request are refused.
 * With `revocationsUrl`, a token the app's revocation feed lists is refused as `revoked`.
 *
 * @example
 * const auth = await verifyRequest(request, {
 *   jwksUrl: "https://app.example.com/api/auth/jwks",
 *   issuer: "https://app.example.com",
 *   audience: "https://app.example.com",
 * });
 * if (!auth.ok) return Response.json({ error: auth.reason }, { status: auth.status });
 * auth.claims.id; // the user id (`sub`)
 */
export async function verifyRequest(request: RequestLike, options: VerifyRequestOptions): Promise<VerifyRequestResult> {
  if (!options.jwksUrl && !options.jwks) throw new TypeError("verifyRequest needs jwksUrl or jwks");
  const all = toHeaders(request.headers);
  const headers = options.cookieName ? all : new Headers();
  const authorization = all.get("authorization");
  if (!options.cookieName && authorization !== null) headers.set("authorization", authorization);
  const lookup = findToken(headers, { cookieName: options.cookieName ?? ACCESS_COOKIE, allowBearer: true });
  if (lookup.kind !== "token") {
    return { ok: false, reason: lookup.kind === "none" ? "missing" : "malformed", status: 401 };
  }
  const result = await verifierFor(options)(lookup.token);
  if (result.ok) {
    const { revocationsUrl, revocationIntervalSeconds } = options;
    if (revocationsUrl && (await revocationsFor(revocationsUrl, revocationIntervalSeconds).isRevoked(result.claims))) {
      return { ok: false, reason: "revoked", status: 401 };
    }
    return { ok: true, claims: result.claims, token: lookup.token };
  }
  return { ok: false, reason: result.reason, status: result.reason === "jwks_unavailable" ? 503 : 401 };
}

/** The `WWW-Authenticate` value for a refusal (RFC 6750), to send with a 401. */
export function bearerChallenge(reason: VerifyFailure): string {
  return reason === "missing" ? "Bearer" : `Bearer error="invalid_token", error_description="${reason}"`;
}
