/**
 * The guard's answers. Redirects for document navigations, JSON for
 * everything a script made; every one of them `private, no-store`, since each
 * depends on who is asking.
 */
import { NextResponse } from "next/server";
import { edgeConfig } from "./config";
import { htmlPage } from "./html-page";
import { safeNextPath, signInPath } from "./next-path";
import type { RequestKind } from "./request-kind";
import { withSecurityHeaders } from "./security-headers";
import type { VerifyFailure } from "./verify";

export const NO_STORE = "private, no-store";

/** Path of the refresh hop (a Node route: one session lookup, a fresh JWT cookie, 303 back). */
export const REFRESH_PATH = "/api/auth/refresh";

function noStore<T extends Response>(response: T): T {
  response.headers.set("Cache-Control", NO_STORE);
  return withSecurityHeaders(response); // Next's config headers never reach the middleware's own answers
}

/**
 * 307 to a same-origin `path` on the configured base URL, never on the
 * request's Host or `request.url` (under `next start` that is
 * `http://localhost:PORT` whatever the browser used). Next sends it as a
 * relative `Location` when the base URL is the host it serves on; a relative
 * `Location` cannot be given here (Next's middleware adapter refuses one).
 */
export function redirectTo(_request: Request, path: string): NextResponse {
  return noStore(NextResponse.redirect(new URL(safeNextPath(path, "/"), edgeConfig().baseURL), 307));
}

/** 307 to sign-in, remembering where the user was going. */
export function redirectToSignIn(request: Request, next: string): NextResponse {
  return redirectTo(request, signInPath(next));
}

/** 307 to the refresh hop, which comes back to `next` with a fresh JWT. */
export function redirectToRefresh(request: Request, next: string): NextResponse {
  return redirectTo(request, `${REFRESH_PATH}?next=${encodeURIComponent(next)}`);
}

/** The `WWW-Authenticate` value of every 401 the app itself answers (RFC 6750). */
export function invalidTokenChallenge(reason: string): string {
  return `Bearer error="invalid_token", error_description="${reason}"`;
}

/** 401 JSON with a `WWW-Authenticate` challenge. */
export function unauthorized(reason: VerifyFailure): NextResponse {
  const response = NextResponse.json({ error: "unauthorized", reason }, { status: 401 });
  response.headers.set("WWW-Authenticate", invalidTokenChallenge(reason));
  return noStore(response);
}

/** JSON for scripts, a small HTML page in the app's look for people. */
function answer(kind: RequestKind, status: number, body: { error: string; message: string } & Record<string, string>) {
  if (kind === "api") return noStore(NextResponse.json(body, { status }));
  const html = htmlPage(
    status === 403
      ? {
          heading: "Forbidden",
          message: `${body.message} You are signed in, but your account does not have it.`,
          links: [
            { href: "/dashboard", label: "Go to your dashboard" },
            { href: "/", label: "Home" },
          ],
        }
      : {
          heading: "Temporarily unavailable",
          message: body.message,
          links: [
            { href: "", label: "Try again" }, // an empty href is this same page
            { href: "/", label: "Home" },
          ],
        },
  );
  return noStore(new NextResponse(html, { status, headers: { "Content-Type": "text/html; charset=utf-8" } }));
}

/** 400: a URL whose percent-encoding does not decode; no route could read it. */
export function badRequest(): NextResponse {
  return noStore(NextResponse.json({ error: "bad_request", message: "Malformed URL encoding." }, { status: 400 }));
}

/** 403: signed in, but without the role the route needs. */
export function forbidden(kind: RequestKind, role: string): NextResponse {
  return answer(kind, 403, { error: "forbidden", requiredRole: role, message: `This page needs the ${role} role.` });
}

/** 503: no usable keys to check the token against. Transient: nobody is signed out, no cookie is touched. */
export function keysUnavailable(kind: RequestKind): NextResponse {
  const response = answer(kind, 503, {
    error: "auth_unavailable",
    reason: "jwks_unavailable",
    message: "Signing keys could not be loaded; try again shortly.",
  });
  response.headers.set("Retry-After", "5");
  return response;
}
