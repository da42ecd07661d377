/**
 * Per-address limits: Better Auth's own rate limiter, with its counters in the
 * database (`rateLimit` table, created by `npm run db:migrate`) so every
 * instance of the app counts against the same numbers.
 *
 * Only the endpoints worth attacking are limited (sign-in, sign-up, password
 * reset, verification mail, password and email change); session reads and
 * the JWKS are not, because with no trusted address header all clients share
 * one bucket and a global cap on `/get-session` would throttle the whole site.
 */
import type { BetterAuthOptions } from "better-auth";

/** Better Auth's `rateLimit` options. */
export type RateLimitOptions = NonNullable<BetterAuthOptions["rateLimit"]>;

/** One rule: at most `max` requests per `window` seconds from one address. */
export interface AddressRule {
  readonly window: number;
  readonly max: number;
}

/**
 * The limits per client address and path. Better Auth's window restarts
 * `window` seconds after the last counted request, so a steady trickle under
 * the limit stays allowed and a burst above it waits out the window.
 */
export const ADDRESS_RULES: Readonly<Record<string, AddressRule>> = {
  // Every sign-in and sign-up method (`/sign-in/email`, and any a plugin adds); each path counts apart.
  "/sign-in/*": { window: 10, max: 3 },
  "/sign-up/*": { window: 10, max: 3 },
  "/change-password": { window: 10, max: 3 },
  "/change-email": { window: 60, max: 3 },
  "/request-password-reset": { window: 60, max: 3 },
  "/forget-password": { window: 60, max: 3 },
  "/reset-password": { window: 60, max: 5 },
  "/reset-password/*": { window: 60, max: 10 },
  "/send-verification-email": { window: 60, max: 3 },
};

/**
 * `rateLimit` for `betterAuth()`: stored in the database, limited to
 * `ADDRESS_RULES`. On in production (`next start`, the test server included),
 * off in development and unit tests, as Better Auth's own default.
 */
export function rateLimitOptions({ enabled }: { enabled: boolean }): RateLimitOptions {
  return {
    enabled,
    storage: "database",
    window: 60,
    max: 100,
    // Rules are matched in key order: the listed paths first, then nothing else is limited.
    customRules: { ...ADDRESS_RULES, "/**": false },
  };
}
