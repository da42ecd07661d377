/**
 * Better Auth's API (`/api/auth/*`), with the database's real outcome put back
 * where Better Auth blurs it:
 * - the database unreachable: `503 { error: "database_unavailable" }` with
 *   `Retry-After`, whatever Better Auth made of it (a 500, or a 401 when a
 *   session lookup failed), so a client retries instead of signing out;
 * - two sign-ups of one email racing past Better Auth's existence check: the
 *   loser's unique violation is `422 USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL`,
 *   the same answer as a plain duplicate, not `FAILED_TO_CREATE_USER`;
 * - `GET /jwks` while the database is down: the last public key set served
 *   (or `AUTH_JWKS`), so verifiers that are still cold (another route's
 *   bundle, a backend) keep verifying the tokens already issued.
 */
import { toNextJsHandler } from "better-auth/next-js";
import { auth, ensureReady } from "@/lib/auth";
import { serverConfig } from "@/lib/config";
import type { DatabaseWatch } from "@/lib/db/errors";
import { isDatabaseUnavailable, watchDatabase } from "@/lib/db/errors";
import { NO_STORE } from "@/lib/edge/responses";
import { withRateLimitShape } from "@/lib/rate-limit/response";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const RETRY_AFTER_SECONDS = 5;

function databaseUnavailable(cause: unknown): Response {
  console.error(`[edge-guard] auth API answered 503: ${cause instanceof Error ? cause.message : String(cause)}`);
  return Response.json(
    {
      error: "database_unavailable",
      message:
        "Sign-in is temporarily unavailable: the account database cannot be reached. Try again in a few seconds.",
    },
    { status: 503, headers: { "Retry-After": String(RETRY_AFTER_SECONDS), "Cache-Control": NO_STORE } },
  );
}

/** Any other failure (Better Auth throws them here, `onAPIError.throw`): logged in full, answered without details. */
function internalError(error: unknown): Response {
  console.error("[edge-guard] auth API failed:", error);
  return Response.json(
    { error: "internal_error", message: "Something went wrong on our side." },
    { status: 500, headers: { "Cache-Control": NO_STORE } },
  );
}

function userAlreadyExists(): Response {
  return Response.json(
    { code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL", message: "User already exists. Use another email." },
    { status: 422, headers: { "Cache-Control": NO_STORE } },
  );
}

/** The public JWK set last served (public data: safe to keep), seeded from `AUTH_JWKS`. */
let knownJwks: string | undefined;

function isJwksRequest(request: Request): boolean {
  return request.method === "GET" && new URL(request.url).pathname.endsWith("/jwks");
}

async function rememberJwks(response: Response): Promise<void> {
  if (response.status === 200) knownJwks = await response.clone().text();
}

function lastKnownJwks(): Response | undefined {
  const jwks = knownJwks ?? (serverConfig().jwks ? JSON.stringify(serverConfig().jwks) : undefined);
  if (!jwks) return undefined;
  // Not cached downstream: once the database is back the live set (maybe rotated) is served again.
  return new Response(jwks, { headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
}

function unavailable(request: Request, cause: unknown): Response {
  return (isJwksRequest(request) ? lastKnownJwks() : undefined) ?? databaseUnavailable(cause);
}

/** A sign-up that lost the race for its email: the database refused the second `user` row. */
function lostSignUpRace(request: Request, response: Response, watch: DatabaseWatch): boolean {
  return (
    response.status === 422 &&
    new URL(request.url).pathname.endsWith("/sign-up/email") &&
    watch.violations.some((v) => v.code === "23505" && v.table === "user")
  );
}

async function handle(request: Request): Promise<Response> {
  return watchDatabase(async (watch) => {
    let response: Response;
    try {
      await ensureReady();
      response = await auth.handler(request);
    } catch (error) {
      if (watch.unavailable || isDatabaseUnavailable(error)) return unavailable(request, watch.unavailable ?? error);
      return internalError(error);
    }
    // A success stays a success (sign-out clears cookies even when the session row could not be deleted).
    if (watch.unavailable && response.status >= 400) return unavailable(request, watch.unavailable);
    if (lostSignUpRace(request, response, watch)) return userAlreadyExists();
    if (isJwksRequest(request)) await rememberJwks(response);
    return withRateLimitShape(response);
  });
}

/** Better Auth's endpoints, behind the mapping above. */
export const { GET, POST } = toNextJsHandler(handle);
