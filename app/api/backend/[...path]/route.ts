/**
 * The browser's way to the external API: `/api/backend/<path>?<query>` is
 * sent to `BACKEND_URL/<path>?<query>` with the same method and body, the
 * allowed headers, and the user's verified JWT as `Authorization: Bearer`
 * (through the central API client, so a refused token is refreshed once).
 * The token never reaches the browser, the logs or an error message.
 *
 * Answers of its own, all JSON and `private, no-store`: 401 no valid identity
 * (or signed out after a second refusal), 403 a cross-site write, 400 a path
 * that would leave the backend's base, 413 a body over 4 MiB, 502 backend
 * unreachable, 503 `BACKEND_URL` not set, 504 backend too slow.
 */
import { ApiAuthError } from "@/lib/api";
import { serverApi } from "@/lib/api-server";
import { serverConfig } from "@/lib/config";
import { NO_STORE } from "@/lib/edge/responses";
import { AuthError, authErrorResponse, requireUser } from "@/lib/session";
import { BodyTooLargeError, backendPath, bufferedBody, forwardRequestHeaders, forwardResponseHeaders } from "./forward";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const PREFIX = "/api/backend";
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const TIMEOUT_MS = 30_000;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function problem(status: number, error: string, message: string): Response {
  return Response.json({ error, message }, { status, headers: { "Cache-Control": NO_STORE } });
}

/** A write from another site riding on the user's cookie (CSRF) is refused. */
function crossSiteWrite(request: Request): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const origin = request.headers.get("origin");
  if (origin !== null) return !serverConfig().trustedOrigins.includes(origin);
  return request.headers.get("sec-fetch-site") === "cross-site";
}

function failure(error: unknown): Response {
  if (error instanceof ApiAuthError) {
    return authErrorResponse(new AuthError(error.status, error.status === 401 ? "signed_out" : "session_unavailable"));
  }
  if (error instanceof DOMException && error.name === "TimeoutError") {
    return problem(504, "gateway_timeout", "The backend did not answer in time.");
  }
  // Only the error's code: the request (and so the token) never goes into a log line.
  const cause = (error as { cause?: { code?: unknown } }).cause?.code;
  console.error(`[edge-guard] backend unreachable: ${typeof cause === "string" ? cause : "fetch failed"}`);
  return problem(502, "bad_gateway", "The backend is unreachable; try again shortly.");
}

async function proxy(request: Request): Promise<Response> {
  if (!serverConfig().backendUrl) return problem(503, "backend_not_configured", "BACKEND_URL is not set.");
  try {
    await requireUser(); // verifies the token itself: identity headers alone are never trusted
  } catch (error) {
    if (error instanceof AuthError) return authErrorResponse(error);
    throw error;
  }
  if (crossSiteWrite(request)) return problem(403, "forbidden", "Cross-site requests cannot write through this proxy.");
  const path = backendPath(new URL(request.url), PREFIX);
  if (path === null) return problem(400, "bad_path", "The path must stay under the backend's base URL.");

  let body: ArrayBuffer | undefined;
  try {
    body = await bufferedBody(request, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return problem(413, "body_too_large", "The request body is over 4 MiB.");
    throw error;
  }
  try {
    const upstream = await serverApi()(path, {
      method: request.method,
      headers: forwardRequestHeaders(request.headers),
      ...(body === undefined ? {} : { body }),
      redirect: "manual",
      cache: "no-store",
      signal: AbortSignal.any([request.signal, AbortSignal.timeout(TIMEOUT_MS)]),
    });
    return new Response(upstream.body, {
      status: upstream.status,
      statusText: upstream.statusText,
      headers: forwardResponseHeaders(upstream.headers),
    });
  } catch (error) {
    return failure(error);
  }
}

export const GET = proxy;
export const HEAD = proxy;
export const POST = proxy;
export const PUT = proxy;
export const PATCH = proxy;
export const DELETE = proxy;
