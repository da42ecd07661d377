/**
 * The Better Auth plugin that feeds revocation: it declares the `revocation`
 * table (so `migrate()` creates it) and writes a row whenever a session ends
 * or a user's earlier tokens must stop. Node only.
 *
 * Better Auth runs `databaseHooks.session.delete.after` for every session row
 * it deletes, one by one and after the transaction commits, whether alone
 * (`deleteSession`: sign-out, revoke-session, admin revoke-user-session) or in
 * bulk (`deleteSessions`, `deleteUserSessions`, `deleteUser`: revoke-sessions,
 * revoke-other-sessions, change-password with `revokeOtherSessions`,
 * reset-password with `revokeSessionsOnPasswordReset`, delete-user, admin
 * ban-user, revoke-user-sessions, remove-user): checked in
 * `node_modules/better-auth/dist/db/with-hooks.mjs` and `internal-adapter.mjs`.
 * So one hook covers every revoking action by session id. A user-wide "not
 * before" is added where the user, not only their sessions, is what ends:
 * deletion (`user.delete.after`) and a ban (`/admin/ban-user`). An admin
 * setting a user's password (`/admin/set-user-password`) ends that user's
 * sessions, as a password reset does.
 */
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import type { RevocationDb } from "./store";
import { recordRevocation } from "./store";

export interface RevocationPluginOptions {
  /** The database the `revocation` table lives in (`revocationDb(getDb().db)`). */
  db: RevocationDb;
  /** How long a revocation matters, in seconds: the access-JWT lifetime plus clock tolerance. */
  windowSeconds: number;
}

/** Admin endpoints whose effect on the edge is not a deleted session row alone. */
const BAN_PATH = "/admin/ban-user";
const SET_PASSWORD_PATH = "/admin/set-user-password";

/**
 * Records revocations for the edge's feed (`GET /api/auth/revocations`).
 *
 * @example
 * betterAuth({ plugins: [jwt(jwtOptions), revocationPlugin({ db: revocationDb(getDb().db), windowSeconds: ttl + 60 })] });
 */
export function revocationPlugin({ db, windowSeconds }: RevocationPluginOptions): BetterAuthPlugin {
  // A revocation that cannot be written must not fail the sign-out or ban that caused it: the
  // session row is gone, so no new token is issued, and the old one's lifetime still bounds it.
  const record = async (kind: "sid" | "sub", id: string) => {
    try {
      await recordRevocation(db, { kind, id, windowSeconds });
    } catch (error) {
      console.error(`[edge-guard] revocation not recorded: ${error instanceof Error ? error.message : "unknown"}`);
    }
  };
  return {
    id: "edge-guard-revocation",
    schema: {
      revocation: {
        fields: {
          handle: { type: "string", required: true, index: true },
          kind: { type: "string", required: true },
          revokedAt: { type: "date", required: true },
          expiresAt: { type: "date", required: true, index: true },
        },
      },
    },
    init: () => ({
      options: {
        databaseHooks: {
          session: { delete: { after: async (session) => record("sid", session.id) } },
          user: { delete: { after: async (user) => record("sub", user.id) } },
        },
      },
    }),
    hooks: {
      after: [
        {
          matcher: (ctx) => ctx.path === BAN_PATH || ctx.path === SET_PASSWORD_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const returned = ctx.context.returned;
            const userId = (ctx.body as { userId?: unknown } | undefined)?.userId;
            if (returned instanceof Error || typeof userId !== "string") return;
            if (ctx.path === BAN_PATH) await record("sub", userId);
            else await ctx.context.internalAdapter.deleteUserSessions(userId);
          }),
        },
      ],
    },
  };
}
