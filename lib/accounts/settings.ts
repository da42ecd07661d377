/**
 * What the account page needs from Better Auth, as options and one small
 * plugin (Node only): deleting an account at once with the password, leaving
 * no row of the user behind, and session rows whose `updatedAt` says when a
 * device was last active.
 */
import type { BetterAuthOptions, BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { getDb } from "../db";

/**
 * `user.deleteUser`: `POST /api/auth/delete-user` deletes at once (no mail
 * round trip: no `sendDeleteAccountVerification`). Better Auth removes the
 * user, its accounts and sessions; what it leaves, a pending reset token
 * (`verification` rows whose value is the user id), goes here too.
 */
export const deleteUserOptions = {
  enabled: true,
  afterDelete: async (user) => {
    const db = getDb().db.withTables<{ verification: { value: string } }>();
    await db.deleteFrom("verification").where("value", "=", user.id).execute();
  },
} satisfies NonNullable<NonNullable<BetterAuthOptions["user"]>["deleteUser"]>;

/**
 * `session.updateAge` in seconds, for a given access-JWT lifetime. Better
 * Auth moves a session's `updatedAt` (and its expiry) only when a lookup finds
 * it older than `updateAge`; the kit looks sessions up on every token refresh.
 * One JWT lifetime makes "last active" true to within about two lifetimes
 * (10 minutes by default) for one extra write per device per lifetime at most;
 * Better Auth's default (a day) would make it useless.
 */
export function sessionUpdateAge(jwtTtlSeconds: number): number {
  return jwtTtlSeconds;
}

/**
 * Refuses `POST /delete-user` without the password. Better Auth would
 * otherwise delete on a session younger than `freshAge` (a day) with no
 * password at all, so anyone holding a fresh session cookie could.
 */
export function accountPlugin(): BetterAuthPlugin {
  return {
    id: "edge-guard-account",
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === "/delete-user",
          handler: createAuthMiddleware(async (ctx) => {
            const password = (ctx.body as { password?: unknown } | undefined)?.password;
            if (typeof password !== "string" || password === "") {
              throw APIError.from("BAD_REQUEST", { code: "PASSWORD_REQUIRED", message: "Enter your password." });
            }
          }),
        },
      ],
    },
  };
}
