/**
 * The refresh hop: the only path where a page request touches the database.
 * One session lookup; a live session gets a fresh access-JWT cookie.
 *
 * - `GET ?next=/path` (the guard's redirect for a page): 303 back to `next`,
 *   or 303 to sign-in when the session is gone.
 * - `POST` (the background refresher and the API client): 200 `{ expiresAt }`
 *   or 401 JSON.
 * Nothing here is single-use, so concurrent refreshes from one browser all succeed.
 */
import { decodeJwt } from "jose";
import { NextResponse } from "next/server";
import { htmlPage } from "@/lib/edge/html-page";
import { safeNextPath, signInPath } from "@/lib/edge/next-path";
import { NO_STORE } from "@/lib/edge/responses";
import { accessCookie, clearedAccessCookie } from "@/lib/tokens/access-cookie";
import type { IssuedToken } from "@/lib/tokens/issue-token";
import { issueAccessToken } from "@/lib/tokens/issue-token";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function finish(response: NextResponse, outcome: IssuedToken): NextResponse {
  const cookie =
    outcome.kind === "token"
      ? accessCookie(outcome.token)
      : outcome.kind === "signed-out"
        ? clearedAccessCookie()
        : null;
  if (cookie) response.cookies.set(cookie.name, cookie.value, cookie.options);
  response.headers.set("Cache-Control", NO_STORE);
  return response;
}

export async function GET(request: Request): Promise<Response> {
  const next = safeNextPath(new URL(request.url).searchParams.get("next"));
  const outcome = await issueAccessToken(request.headers);
  if (outcome.kind === "unavailable") {
    const html = htmlPage({
      heading: "Sign-in is temporarily unavailable",
      message: "We could not check your session. You are still signed in: try again in a moment.",
      links: [
        { href: next, label: "Try again" },
        { href: "/", label: "Home" },
      ],
    });
    return finish(
      new NextResponse(html, {
        status: 503,
        headers: { "Content-Type": "text/html; charset=utf-8", "Retry-After": "5" },
      }),
      outcome,
    );
  }
  // A relative Location: the browser stays on the origin it used (and whose cookies it holds), never
  // `request.url`'s (`http://localhost:PORT` under `next start`) or a Host header's.
  const location = outcome.kind === "token" ? next : signInPath(next);
  return finish(new NextResponse(null, { status: 303, headers: { Location: location } }), outcome);
}

export async function POST(request: Request): Promise<Response> {
  const outcome = await issueAccessToken(request.headers);
  if (outcome.kind === "token") {
    const exp = decodeJwt(outcome.token).exp ?? 0; // our own fresh token: display only
    return finish(NextResponse.json({ expiresAt: new Date(exp * 1000).toISOString() }), outcome);
  }
  if (outcome.kind === "signed-out")
    return finish(NextResponse.json({ error: "unauthorized", reason: "no_session" }, { status: 401 }), outcome);
  return finish(
    NextResponse.json(
      { error: "auth_unavailable", message: "The session store is unavailable; try again shortly." },
      { status: 503, headers: { "Retry-After": "5" } },
    ),
    outcome,
  );
}
