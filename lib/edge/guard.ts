/**
 * The guard: one decision per request, Web APIs and jose only, so the same
 * function serves `middleware.ts` (Edge) and `proxy.ts` (Node).
 *
 * 1. Strip client-sent identity headers (every request, public or not; only
 *    when one is present, since overriding request headers makes Next re-send
 *    every header).
 * 2. Public route: pass. Otherwise find and verify the access JWT, then apply
 *    the revocation feed (`lib/edge/revocation.ts`: held per isolate, never
 *    awaited once warm).
 * 3. Valid: check the role, pass the request on unchanged: no identity is
 *    forwarded, handlers re-verify the token (`lib/session.ts`), and no
 *    header is added (each one costs Next a copy onto the request and the
 *    response). The guard's own answers carry `Server-Timing` with the reason.
 *    Invalid: document → refresh hop (session cookie, token missing, expired
 *    or revoked) or sign-in; anything else → 401 JSON; no keys → 503.
 */

import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { edgeConfig } from "./config";
import { defaultRevocations } from "./default-revocations";
import { defaultVerifier } from "./default-verifier";
import { stripIdentityHeaders } from "./identity-headers";
import { safeNextPath } from "./next-path";
import { isWellFormedPath, routeOf } from "./policy";
import { requestKind } from "./request-kind";
import {
  badRequest,
  forbidden,
  keysUnavailable,
  redirectTo,
  redirectToRefresh,
  redirectToSignIn,
  unauthorized,
} from "./responses";
import type { RevocationCheckContext, RevocationList } from "./revocation";
import { findToken, hasSessionCookie } from "./token";
import type { AccessClaims, Verifier, VerifyResult } from "./verify";

export interface GuardOptions {
  /** The verifier; default is the app's own (`defaultVerifier()`). */
  verify?: Verifier;
  /** The revocation list applied after verification; default the app's feed (`defaultRevocations()`); `null` turns it off. */
  revocations?: RevocationList | null;
  /** The runtime's `waitUntil` (middleware: `event.waitUntil`), so a background feed refresh outlives the response. */
  waitUntil?: RevocationCheckContext["waitUntil"];
}

const REVOKED: VerifyResult = { ok: false, reason: "revoked" };

/** The revocation feed's word on verified claims: synchronous when the feed is warm. */
function applyRevocations(claims: AccessClaims, options: GuardOptions): VerifyResult | Promise<VerifyResult> {
  const verified: VerifyResult = { ok: true, claims };
  const revocations = options.revocations === undefined ? defaultRevocations() : options.revocations;
  if (!revocations) return verified;
  const revoked = revocations.isRevoked(claims, { waitUntil: options.waitUntil });
  if (typeof revoked === "boolean") return revoked ? REVOKED : verified;
  return revoked.then((yes) => (yes ? REVOKED : verified));
}

/**
 * Finds, verifies and checks the request's token. A token verified before
 * (the verifier's cache) and a warm feed answer synchronously: no promise on
 * the hot path, which Next's async context tracking would otherwise pay for.
 */
function verifyRequest(
  request: NextRequest,
  options: GuardOptions,
  allowBearer: boolean,
): VerifyResult | Promise<VerifyResult> {
  const lookup = findToken(request.headers, { cookieName: edgeConfig().accessCookie, allowBearer });
  if (lookup.kind === "none") return { ok: false, reason: "missing" };
  if (lookup.kind === "ambiguous") return { ok: false, reason: "malformed" };
  const verify = options.verify ?? defaultVerifier();
  const known = verify.cached?.(lookup.token);
  if (known) return applyRevocations(known, options);
  return verify(lookup.token).then((result) => (result.ok ? applyRevocations(result.claims, options) : result));
}

/** Failures a live session can repair: a revoked token's device may hold a newer session (after a password change). */
const REFRESHABLE = new Set<string>(["missing", "expired", "revoked"]);

function withTiming(response: NextResponse, started: number, desc: string): NextResponse {
  const dur = (performance.now() - started).toFixed(3);
  response.headers.set("Server-Timing", `auth;dur=${dur};desc="${desc}"`);
  return response;
}

/**
 * Decides one request: synchronously when warm (a known token, a fresh feed),
 * otherwise once the signature check or the feed's first load is done.
 *
 * @example
 * // middleware.ts
 * export function middleware(request: NextRequest) { return guard(request); }
 */
export function guard(request: NextRequest, options: GuardOptions = {}): NextResponse | Promise<NextResponse> {
  const started = performance.now();
  const { pathname, search } = request.nextUrl;
  if (!isWellFormedPath(pathname)) return badRequest();
  const stripped = stripIdentityHeaders(request.headers);
  const pass = () => (stripped ? NextResponse.next({ request: { headers: stripped } }) : NextResponse.next());
  const { access, signInPage } = routeOf(pathname);
  if (access === "public" && !signInPage) return pass();

  const kind = requestKind(request, pathname);
  const decide = (result: VerifyResult): NextResponse => {
    if (signInPage) {
      if (!result.ok) return pass();
      const next = request.nextUrl.searchParams.get("next");
      return withTiming(redirectTo(request, safeNextPath(next)), started, "ok");
    }
    if (result.ok) {
      if (typeof access === "object" && result.claims.role !== access.role) {
        return withTiming(forbidden(kind, access.role), started, "role");
      }
      return pass();
    }
    const reason = result.reason;
    const here = `${pathname}${search}`;
    let response: NextResponse;
    if (reason === "jwks_unavailable") response = keysUnavailable(kind);
    else if (kind === "api") response = unauthorized(reason);
    else if (REFRESHABLE.has(reason) && hasSessionCookie(request.headers)) {
      response = redirectToRefresh(request, here);
    } else response = redirectToSignIn(request, here);
    return withTiming(response, started, reason);
  };
  const result = verifyRequest(request, options, kind === "api");
  return result instanceof Promise ? result.then(decide) : decide(result);
}
