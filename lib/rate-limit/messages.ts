/**
 * One shape for every "too many requests" answer of the auth API, the same
 * as Better Auth's errors (`{ code, message }`), so the pages show `message`
 * as they show any other error. `scope` says which limit was hit.
 */

/** Which limit refused the request. */
export type LimitScope = "address" | "account";

/** The JSON body of a 429. */
export interface TooManyRequestsBody {
  readonly code: "TOO_MANY_REQUESTS";
  readonly scope: LimitScope;
  readonly message: string;
  /** Seconds until the limit lets a request through again (also in `Retry-After`). */
  readonly retryAfter: number;
}

function wait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/**
 * The body of a 429 for `scope`, telling the user how long to wait.
 *
 * @example
 * tooManyRequestsBody("account", 840).message; // "Too many requests for this email. Try again in 14 minutes."
 */
export function tooManyRequestsBody(scope: LimitScope, retryAfter: number): TooManyRequestsBody {
  const who = scope === "account" ? "for this email" : "from your network";
  return {
    code: "TOO_MANY_REQUESTS",
    scope,
    message: `Too many requests ${who}. Try again in ${wait(retryAfter)}.`,
    retryAfter,
  };
}
