/**
 * The guard: one decision per request, Web APIs and jose only, so the same
 * function serves `middleware.ts` (Edge) and `proxy.ts` (Node).
 *
 * 1. Strip client-sent identity headers (every request, public or not).
 * 2. Public route: pass. Otherwise find and verify the access JWT.
 * 3. Valid: check the role, forward with verified identity headers.
 *    Invalid: document → refresh hop (session cookie, token missing/expired)
 *    or sign-in; anything else → 401 JSON; no keys → 503.
 */

import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { edgeConfig } from "./config";
import { defaultVerifier } from "./default-verifier";
import { setIdentityHeaders, stripIdentityHeaders } from "./identity-headers";
import { safeNextPath } from "./next-path";
import { accessFor, isSignInPage, isWellFormedPath } from "./policy";
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
import { findToken, hasSessionCookie } from "./token";
import type { Verifier, VerifyResult } from "./verify";

export interface GuardOptions {
  /** The verifier; default is the app's own (`defaultVerifier()`). */
  verify?: Verifier;
}

async function verifyRequest(
  request: NextRequest,
  verify: Verifier,
  allowBearer: boolean,
): Promise<VerifyResult & { token?: string }> {
  const lookup = findToken(request.headers, { cookieName: edgeConfig().accessCookie, allowBearer });
  if (lookup.kind === "none") return { ok: false, reason: "missing" };
  if (lookup.kind === "ambiguous") return { ok: false, reason: "malformed" };
  return { ...(await verify(lookup.token)), token: lookup.token };
}

function withTiming(response: NextResponse, started: number, desc: string): NextResponse {
  const dur = (performance.now() - started).toFixed(3);
  response.headers.set("Server-Timing", `auth;dur=${dur};desc="${desc}"`);
  return response;
}

/**
 * Decides one request.
 *
 * @example
 * // middleware.ts
 * export function middleware(request: NextRequest) { return guard(request); }
 */
export async function guard(request: NextRequest, options: GuardOptions = {}): Promise<NextResponse> {
  const started = performance.now();
  const { pathname, search } = request.nextUrl;
  if (!isWellFormedPath(pathname)) return badRequest();
  const stripped = stripIdentityHeaders(request.headers);
  const pass = () => (stripped ? NextResponse.next({ request: { headers: stripped } }) : NextResponse.next());
  const access = accessFor(pathname);
  const signInPage = isSignInPage(pathname);
  if (access === "public" && !signInPage) return pass();

  const kind = requestKind(request, pathname);
  const result = await verifyRequest(request, options.verify ?? defaultVerifier(), kind === "api");
  const desc = result.ok ? "ok" : result.reason;

  if (signInPage) {
    const next = request.nextUrl.searchParams.get("next");
    const response = result.ok ? redirectTo(request, safeNextPath(next)) : pass();
    return withTiming(response, started, desc);
  }

  if (result.ok && result.token) {
    if (typeof access === "object" && result.claims.role !== access.role) {
      return withTiming(forbidden(kind, access.role), started, "role");
    }
    const headers = stripped ?? new Headers(request.headers);
    setIdentityHeaders(headers, result.claims, result.token);
    return withTiming(NextResponse.next({ request: { headers } }), started, desc);
  }

  const reason = result.ok ? "claims" : result.reason;
  const here = `${pathname}${search}`;
  let response: NextResponse;
  if (reason === "jwks_unavailable") response = keysUnavailable(kind);
  else if (kind === "api") response = unauthorized(reason);
  else if ((reason === "missing" || reason === "expired") && hasSessionCookie(request.headers)) {
    response = redirectToRefresh(request, here);
  } else response = redirectToSignIn(request, here);
  return withTiming(response, started, reason);
}
