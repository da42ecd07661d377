/**
 * The kit's abuse limits as Better Auth options, in one object for
 * `lib/auth.ts`: per client address (Better Auth's limiter, database storage,
 * the address from `AUTH_TRUSTED_IP_HEADER` only) and per account (a plugin).
 * Both live in the database, so every instance enforces the same counts.
 */
import { serverConfig } from "../config";
import { getDb } from "../db";
import { ipAddressOptions } from "../http/client-address";
import { accountLimit } from "./account-limit";
import { rateLimitOptions } from "./address-rules";

const config = serverConfig();
// Better Auth's limiter is on in production only; the account limit follows it.
const enabled = config.mode === "production";

/** `advanced.ipAddress`, `rateLimit` and the account-limit plugin, for `betterAuth()`. */
export const postureOptions = {
  ipAddress: ipAddressOptions(config.trustedIpHeader),
  rateLimit: rateLimitOptions({ enabled }),
  accountLimit: accountLimit({ db: getDb().db, enabled }),
};
