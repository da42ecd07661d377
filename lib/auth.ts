/**
 * The one Better Auth instance: email + password, sessions in Postgres
 * (PGlite or Neon through Kysely), and the `jwt` plugin issuing short-lived
 * EdDSA access tokens whose public keys the edge verifies against.
 */

import type { BetterAuthOptions } from "better-auth";
import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { jwt } from "better-auth/plugins";
import type { JwtOptions } from "better-auth/plugins/jwt";
import { accountOptions } from "./accounts/options";
import { accountPlugin, deleteUserOptions, sessionUpdateAge } from "./accounts/settings";
import { adminPlugin } from "./admin/plugin";
import { serverConfig } from "./config";
import { getDb } from "./db";
import { keyLifecycleOptions } from "./keys/lifecycle";
import { postureOptions } from "./rate-limit";
import { revocationPlugin } from "./revocation/plugin";
import { revocationDb } from "./revocation/store";
import { accessCookiePlugin } from "./tokens/access-cookie-plugin";

const config = serverConfig();
const accounts = accountOptions(config);

/** The `jwt` plugin's options: the contract between the issuer and every verifier. */
export const jwtOptions = {
  // Grace period and optional automatic rotation: see lib/keys/lifecycle.ts.
  jwks: { keyPairConfig: { alg: "EdDSA", crv: "Ed25519" }, ...keyLifecycleOptions(config) },
  jwt: {
    issuer: config.issuer,
    audience: config.audience,
    expirationTime: `${config.jwtTtlSeconds}s`,
    // A small payload: never the whole user row. `sid` is the session's id (never its token): what revocation lists.
    definePayload: ({ user, session }) => ({
      email: user.email,
      name: user.name,
      role: user.role ?? "user",
      sid: session.id,
    }),
  },
} satisfies JwtOptions;

/** Everything `betterAuth()` is given; also what migrations are computed from. */
export const authOptions = {
  appName: "edge-guard",
  baseURL: config.baseURL,
  secret: config.secret,
  trustedOrigins: [...config.trustedOrigins],
  // One transaction per sign-up (user, account, session): a failure half-way leaves nothing behind.
  database: { db: getDb().db, type: "postgres", transaction: true },
  // Reset, verification, email change and the password rule: lib/accounts/options.ts.
  emailAndPassword: { enabled: true, ...accounts.emailAndPassword },
  emailVerification: accounts.emailVerification,
  // `role` (and the ban fields) come from `adminPlugin()`, never settable by the user.
  user: { ...accounts.user, deleteUser: deleteUserOptions },
  // "Last active" on /account: the session row moves at most once per token lifetime, on refresh.
  session: { updateAge: sessionUpdateAge(config.jwtTtlSeconds) },
  databaseHooks: {
    user: {
      create: {
        // Bootstrap admins from configuration: the only way a role other than "user" is ever assigned here.
        before: async (user) => ({
          data: { ...user, role: config.adminEmails.includes(user.email.toLowerCase()) ? "admin" : "user" },
        }),
      },
    },
  },
  advanced: { useSecureCookies: config.secureCookies, ipAddress: postureOptions.ipAddress },
  rateLimit: postureOptions.rateLimit,
  // Unexpected errors reach the route (`app/api/auth/[...all]`), which answers an outage with 503, not a bare 500.
  onAPIError: { throw: true },
  // `adminPlugin()` owns the `role` column (never settable by the user), carried in the JWT above.
  plugins: [
    jwt(jwtOptions),
    accessCookiePlugin({ jwt: jwtOptions }),
    postureOptions.accountLimit,
    ...accounts.plugins,
    accountPlugin(),
    adminPlugin(),
    // Revocations matter for one token lifetime, plus a minute of clock tolerance.
    revocationPlugin({ db: revocationDb(getDb().db), windowSeconds: config.jwtTtlSeconds + 60 }),
  ],
} satisfies BetterAuthOptions;

export const auth = betterAuth(authOptions);

/**
 * Applies Better Auth's schema (its tables, `jwks` included). Running it again
 * finds nothing to do. Returns the tables it created or altered.
 */
export async function migrate(): Promise<string[]> {
  const { toBeCreated, toBeAdded, runMigrations } = await getMigrations(authOptions);
  const changed = [...toBeCreated, ...toBeAdded].map((t) => t.table);
  if (changed.length > 0) await runMigrations();
  return changed;
}

let schemaReady: Promise<unknown> | undefined;

/**
 * Resolves once the database can serve auth requests. The embedded database
 * and development migrate themselves; a deployed Postgres is migrated by
 * `npm run db:migrate`.
 */
export function ensureReady(): Promise<unknown> {
  if (!config.databaseUrl || config.mode !== "production") {
    schemaReady ??= migrate().catch((error: unknown) => {
      schemaReady = undefined; // try again on the next request (database back up)
      throw error;
    });
    return schemaReady;
  }
  return Promise.resolve();
}
