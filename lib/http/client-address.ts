/**
 * Which address a request comes from, for Better Auth's rate limiter and the
 * `session.ipAddress` column (both read it through `getIP`, so they always agree).
 *
 * Only one configured header is ever trusted (`AUTH_TRUSTED_IP_HEADER`, on
 * Vercel `x-vercel-forwarded-for` by default). With nothing configured no
 * header is read at all: a client-sent `X-Forwarded-For` is just text, and
 * Next's route handlers do not expose the socket. Better Auth then counts every
 * such request in one shared bucket per route (`no-trusted-ip|<path>`) and
 * records an empty session address; the per-account limits
 * (`lib/rate-limit/account-limit.ts`) still apply per email.
 */
import type { BetterAuthOptions } from "better-auth";

/** Better Auth's `advanced.ipAddress` options. */
export type IpAddressOptions = NonNullable<NonNullable<BetterAuthOptions["advanced"]>["ipAddress"]>;

/**
 * `advanced.ipAddress` for the trusted header, or for none.
 *
 * Not `disableIpTracking`: that turns the rate limiter off for requests
 * without an address. An empty header list instead makes every request
 * "address unknown", which Better Auth limits in a shared bucket.
 *
 * @example
 * ipAddressOptions("x-real-ip"); // { ipAddressHeaders: ["x-real-ip"] }
 * ipAddressOptions(undefined);   // { ipAddressHeaders: [] }: X-Forwarded-For is ignored
 */
export function ipAddressOptions(trustedIpHeader: string | undefined): IpAddressOptions {
  return { ipAddressHeaders: trustedIpHeader ? [trustedIpHeader] : [] };
}
