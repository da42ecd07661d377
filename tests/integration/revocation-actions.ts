/**
 * Every revoking action, through Better Auth's real handler on a real
 * database, ends in the feed: the action's JWTs are refused by the same
 * revocation list the edge uses, everyone else's are not. The instance is the
 * kit's options plus what other parts of the kit add (the admin plugin,
 * account deletion, a reset mail sender), so each action is reachable here.
 */
import type { BetterAuthOptions } from "better-auth";
import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { admin } from "better-auth/plugins";
import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import { createKeySource } from "@/lib/edge/keys";
import { createRevocationList } from "@/lib/edge/revocation";
import { parseRevocationFeed } from "@/lib/edge/revocation-feed";
import type { AccessClaims, Verifier } from "@/lib/edge/verify";
import { createVerifier } from "@/lib/edge/verify";
import type { RevocationDb } from "@/lib/revocation/store";
import { readFeedDocument, revocationDb } from "@/lib/revocation/store";
import type { AuthCaller } from "../helpers/auth-handler";
import { authCaller, BASE } from "../helpers/auth-handler";
import { uniqueEmail } from "../helpers/http";

const PASSWORD = "correct-horse-1";

/** A signed-in device: its cookies and its access JWT. */
interface Device {
  caller: AuthCaller;
  token: string;
}

/** Registers the action table against the database `DATABASE_URL` names (set before the first test). */
export function describeRevocationActions(title: string): void {
  describe(title, () => {
    let handler: (request: Request) => Promise<Response>;
    let db: RevocationDb;
    let verify: Verifier;
    const resetTokens = new Map<string, string>();

    beforeAll(async () => {
      const { authOptions } = await import("@/lib/auth");
      const { getDb } = await import("@/lib/db");
      const options = {
        ...authOptions,
        emailAndPassword: {
          ...authOptions.emailAndPassword,
          sendResetPassword: async ({ user, token }) => void resetTokens.set(user.email, token),
        },
        user: { ...authOptions.user, deleteUser: { enabled: true } },
        // The kit's own admin plugin when it has one, else Better Auth's (the endpoints are the same).
        plugins: [
          ...authOptions.plugins,
          ...((authOptions.plugins as ReadonlyArray<{ id: string }>).some((p) => p.id === "admin") ? [] : [admin()]),
        ],
      } satisfies BetterAuthOptions;
      await (await getMigrations(options)).runMigrations();
      const auth = betterAuth(options);
      handler = auth.handler;
      db = revocationDb(getDb().db);
      const jwks = await (await authCaller(handler).call("/jwks")).json();
      verify = createVerifier({ keys: createKeySource({ jwks }), issuer: BASE, audience: BASE });
    });

    /** Whether the feed as read now refuses `token` (a fresh list, as a cold isolate would hold). */
    async function revoked(token: string): Promise<boolean> {
      const result = await verify(token);
      if (!result.ok) throw new Error(`token did not verify: ${result.reason}`);
      const list = createRevocationList({
        load: async () => parseRevocationFeed(await readFeedDocument(db)),
        waitMs: 30_000,
      });
      return list.isRevoked(result.claims);
    }

    async function device(email: string, signUp = false): Promise<Device> {
      const caller = authCaller(handler);
      const body = signUp ? { email, password: PASSWORD, name: "Rev" } : { email, password: PASSWORD };
      expect((await caller.call(signUp ? "/sign-up/email" : "/sign-in/email", { body })).status).toBe(200);
      return { caller, token: caller.jar.get(ACCESS_COOKIE) as string };
    }

    /** A user with two devices, and a bystander with one. */
    async function scene(prefix: string) {
      const email = uniqueEmail(prefix);
      const here = await device(email, true);
      const there = await device(email);
      const bystander = await device(uniqueEmail(`${prefix}-other`), true);
      return { email, here, there, bystander, userId: (decodeJwt(here.token) as { sub: string }).sub };
    }

    async function adminDevice(): Promise<Device> {
      const email = uniqueEmail("admin");
      const first = await device(email, true);
      await db
        .withTables<{ user: { email: string; role: string } }>()
        .updateTable("user")
        .set({ role: "admin" })
        .where("email", "=", email)
        .execute();
      void first;
      return device(email);
    }

    async function sessionToken(of: Device, from: Device): Promise<string> {
      const sessions = (await (await from.caller.call("/list-sessions")).json()) as Array<{
        id: string;
        token: string;
      }>;
      const sid = (decodeJwt(of.token) as { sid: string }).sid;
      return sessions.find((s) => s.id === sid)?.token as string;
    }

    it("puts the session's id in the JWT as sid (never its token)", async () => {
      const { here } = await scene("sid");
      const claims = decodeJwt(here.token) as { sid?: string };
      expect(claims.sid).toMatch(/^[A-Za-z0-9]{16,}$/);
      const token = await sessionToken(here, here);
      expect(token).not.toBe(claims.sid);
      expect(here.token).not.toContain(token);
      const result = await verify(here.token);
      expect(result.ok && (result.claims as AccessClaims).sid).toBe(claims.sid);
    });

    const actions: Array<{
      name: string;
      act: (s: Awaited<ReturnType<typeof scene>>) => Promise<Response>;
      revokes: { here: boolean; there: boolean };
    }> = [
      {
        name: "sign-out",
        act: (s) => s.here.caller.call("/sign-out", { body: {} }),
        revokes: { here: true, there: false },
      },
      {
        name: "revoke-sessions",
        act: (s) => s.here.caller.call("/revoke-sessions", { body: {} }),
        revokes: { here: true, there: true },
      },
      {
        name: "revoke-session",
        act: async (s) =>
          s.here.caller.call("/revoke-session", { body: { token: await sessionToken(s.there, s.here) } }),
        revokes: { here: false, there: true },
      },
      {
        name: "revoke-other-sessions",
        act: (s) => s.here.caller.call("/revoke-other-sessions", { body: {} }),
        revokes: { here: false, there: true },
      },
      {
        name: "change-password with revokeOtherSessions",
        act: (s) =>
          s.here.caller.call("/change-password", {
            body: { currentPassword: PASSWORD, newPassword: "another-horse-2", revokeOtherSessions: true },
          }),
        revokes: { here: true, there: true },
      },
      {
        name: "reset-password",
        act: async (s) => {
          await authCaller(handler).call("/request-password-reset", { body: { email: s.email, redirectTo: "/" } });
          const token = resetTokens.get(s.email) as string;
          return authCaller(handler).call("/reset-password", { body: { token, newPassword: "reset-horse-3" } });
        },
        revokes: { here: true, there: true },
      },
      {
        name: "delete-user with the password",
        act: (s) => s.here.caller.call("/delete-user", { body: { password: PASSWORD } }),
        revokes: { here: true, there: true },
      },
      {
        name: "admin ban-user",
        act: async (s) => (await adminDevice()).caller.call("/admin/ban-user", { body: { userId: s.userId } }),
        revokes: { here: true, there: true },
      },
      {
        name: "admin revoke-user-session",
        act: async (s) =>
          (await adminDevice()).caller.call("/admin/revoke-user-session", {
            body: { sessionToken: await sessionToken(s.there, s.here) },
          }),
        revokes: { here: false, there: true },
      },
      {
        name: "admin revoke-user-sessions",
        act: async (s) =>
          (await adminDevice()).caller.call("/admin/revoke-user-sessions", { body: { userId: s.userId } }),
        revokes: { here: true, there: true },
      },
      {
        name: "admin remove-user",
        act: async (s) => (await adminDevice()).caller.call("/admin/remove-user", { body: { userId: s.userId } }),
        revokes: { here: true, there: true },
      },
      {
        name: "admin set-user-password",
        act: async (s) =>
          (await adminDevice()).caller.call("/admin/set-user-password", {
            body: { userId: s.userId, newPassword: "admin-set-horse-4" },
          }),
        revokes: { here: true, there: true },
      },
    ];

    for (const { name, act, revokes } of actions) {
      it(`${name}: refuses ${[revokes.here && "this device", revokes.there && "the other device"].filter(Boolean).join(" and ")}, nobody else`, async () => {
        const s = await scene(name.split(" ")[0] ?? "action");
        expect(await revoked(s.here.token)).toBe(false);
        expect(await revoked(s.there.token)).toBe(false);
        const response = await act(s);
        expect(response.status, await response.clone().text()).toBe(200);
        expect(await revoked(s.here.token)).toBe(revokes.here);
        expect(await revoked(s.there.token)).toBe(revokes.there);
        expect(await revoked(s.bystander.token)).toBe(false);
      });
    }

    it("gives the device that changed its password a fresh JWT for its new session, which is not revoked", async () => {
      const s = await scene("change-fresh");
      const response = await s.here.caller.call("/change-password", {
        body: { currentPassword: PASSWORD, newPassword: "another-horse-2", revokeOtherSessions: true },
      });
      expect(response.status).toBe(200);
      const fresh = s.here.caller.jar.get(ACCESS_COOKIE) as string;
      expect(fresh).not.toBe(s.here.token);
      expect(await revoked(fresh)).toBe(false);
      expect(await revoked(s.here.token)).toBe(true);
    });

    it("lets a banned-then-unbanned user's new sign-in through (the not-before only covers earlier tokens)", async () => {
      const s = await scene("unban");
      const root = await adminDevice();
      expect((await root.caller.call("/admin/ban-user", { body: { userId: s.userId } })).status).toBe(200);
      expect(await revoked(s.there.token)).toBe(true);
      expect((await root.caller.call("/admin/unban-user", { body: { userId: s.userId } })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1100)); // a new second: `iat` after the not-before
      const again = await device(s.email);
      expect(await revoked(again.token)).toBe(false);
    });

    it("serves only opaque handles: no session id, session token, user id or email appears in the feed", async () => {
      const s = await scene("opaque");
      const token = await sessionToken(s.there, s.here);
      expect((await s.here.caller.call("/revoke-sessions", { body: {} })).status).toBe(200);
      const body = JSON.stringify(await readFeedDocument(db));
      const { sid } = decodeJwt(s.there.token) as { sid: string };
      for (const secret of [sid, token, s.userId, s.email]) expect(body).not.toContain(secret);
      expect(body).toMatch(/"sessions":\["[A-Za-z0-9_-]{16}"/);
    });

    it("leaves expired revocations out of the feed", async () => {
      const doc = await readFeedDocument(db, new Date(Date.now() + 10 * 3600 * 1000));
      expect(doc.sessions).toEqual([]);
      expect(doc.users).toEqual({});
    });
  });
}
