/**
 * Better Auth's per-address limiter answers before any hook runs, with a
 * bare `429 { message }` and only `X-Retry-After`. The auth route passes its
 * answers through here so that 429 gets the standard `Retry-After` and the
 * same `{ code, message }` body as the per-account limit.
 */
import { tooManyRequestsBody } from "./messages";

/** A 429 of Better Auth's limiter rewritten to the kit's shape; any other response as is. */
export function withRateLimitShape(response: Response): Response {
  if (response.status !== 429 || response.headers.has("Retry-After")) return response;
  const seconds = Number.parseInt(response.headers.get("X-Retry-After") ?? "", 10);
  const retryAfter = Number.isFinite(seconds) && seconds > 0 ? seconds : 60;
  return Response.json(tooManyRequestsBody("address", retryAfter), {
    status: 429,
    headers: {
      "Retry-After": String(retryAfter),
      "X-Retry-After": String(retryAfter),
      "Cache-Control": "private, no-store",
    },
  });
}
