/**
 * The guard's answers. Redirects for document navigations, JSON for
 * everything a script made; every one of them `private, no-store`, since each
 * depends on who is asking.
 */
import { NextResponse } from "next/server";
import { signInPath } from "./next-path";
import type { VerifyFailure } from "./verify";

export const NO_STORE = "private, no-store";

/** Path of the refresh hop (a Node route: one session lookup, a fresh JWT cookie, 303 back). */
export const REFRESH_PATH = "/api/auth/refresh";

function noStore<T extends Response>(response: T): T {
  response.headers.set("Cache-Control", NO_STORE);
  return response;
}

/** 307 to `path` on the request's own origin. */
export function redirectTo(request: Request, path: string): NextResponse {
  return noStore(NextResponse.redirect(new URL(path, request.url), 307));
}

/** 307 to sign-in, remembering where the user was going. */
export function redirectToSignIn(request: Request, next: string): NextResponse {
  return redirectTo(request, signInPath(next));
}

/** 307 to the refresh hop, which comes back to `next` with a fresh JWT. */
export function redirectToRefresh(request: Request, next: string): NextResponse {
  return redirectTo(request, `${REFRESH_PATH}?next=${encodeURIComponent(next)}`);
}

/** 401 JSON with a `WWW-Authenticate` challenge (RFC 6750). */
export function unauthorized(reason: VerifyFailure): NextResponse {
  const response = NextResponse.json({ error: "unauthorized", reason }, { status: 401 });
  response.headers.set("WWW-Authenticate", `Bearer error="invalid_token", error_description="${reason}"`);
  return noStore(response);
}

/** 403: signed in, but without the role the route needs. */
export function forbidden(role: string): NextResponse {
  return noStore(NextResponse.json({ error: "forbidden", requiredRole: role }, { status: 403 }));
}

const KEYS_UNAVAILABLE = "Signing keys could not be loaded; try again shortly.";

/** 503: no usable keys to check the token against. Transient: nobody is signed out, no cookie is touched. */
export function keysUnavailable(kind: "document" | "api"): NextResponse {
  const response =
    kind === "api"
      ? NextResponse.json(
          { error: "auth_unavailable", reason: "jwks_unavailable", message: KEYS_UNAVAILABLE },
          { status: 503 },
        )
      : new NextResponse(
          `<!doctype html><title>Temporarily unavailable</title><h1>Temporarily unavailable</h1><p>${KEYS_UNAVAILABLE}</p>`,
          { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } },
        );
  response.headers.set("Retry-After", "5");
  return noStore(response);
}
