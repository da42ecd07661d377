/**
 * The account endpoints the `/account` page uses, through the real
 * `/api/auth/*` and `/api/auth/refresh` route handlers in-process: devices
 * (list, revoke one, revoke the others, revoke all), a password change that
 * signs the other devices out, and deleting the account with the password.
 * Registered once per database by its own test file.
 */
import type { Kysely } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import { createKeySource } from "@/lib/edge/keys";
import type { Verifier } from "@/lib/edge/verify";
import { createVerifier } from "@/lib/edge/verify";
import type { AuthCaller } from "../helpers/auth-handler";
import { authCaller, BASE } from "../helpers/auth-handler";
import { locationPath, uniqueEmail } from "../helpers/http";
import type { AuthApp } from "./auth-flows";

const PASSWORD = "correct-horse-1";
const NEW_PASSWORD = "violet-kettle-93-drum";
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

/** The tables these tests read beyond the kit's own `Database` type. */
type ExtraTables = {
  session: { id: string; userId: string; userAgent: string | null; updatedAt: Date; expiresAt: Date };
  verification: { id: string; identifier: string; value: string; expiresAt: Date; createdAt: Date; updatedAt: Date };
};

interface Session {
  id: string;
  token: string;
  userAgent: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Registers the account-settings flows; `app()` is valid from the first test on. */
export function describeAccountSettings(title: string, app: () => AuthApp): void {
  describe(title, () => {
    let verify: Verifier;
    const db = (): Kysely<ExtraTables> => app().db.withTables<ExtraTables>() as unknown as Kysely<ExtraTables>;
    const device = (userAgent = CHROME): AuthCaller => {
      const caller = authCaller(app().handler);
      const call = caller.call;
      caller.call = (path, init = {}) => call(path, { ...init, headers: { "user-agent": userAgent, ...init.headers } });
      return caller;
    };
    const signUp = async (email: string, userAgent = CHROME) => {
      const user = device(userAgent);
      expect((await user.call("/sign-up/email", { body: { email, password: PASSWORD, name: "Acc" } })).status).toBe(
        200,
      );
      return user;
    };
    const signIn = async (email: string, userAgent = FIREFOX, password = PASSWORD) => {
      const user = device(userAgent);
      expect((await user.call("/sign-in/email", { body: { email, password } })).status).toBe(200);
      return user;
    };
    const sessions = async (user: AuthCaller) => {
      const response = await user.call("/list-sessions");
      expect(response.status).toBe(200);
      return (await response.json()) as Session[];
    };
    /** `POST /api/auth/refresh` as the background refresher sends it; the jar keeps what it sets. */
    const refresh = async (user: AuthCaller, method: "GET" | "POST" = "POST") => {
      const url = method === "GET" ? `${BASE}/api/auth/refresh?next=%2Faccount` : `${BASE}/api/auth/refresh`;
      const request = new Request(url, { method, headers: { cookie: user.jar.header(), origin: BASE } });
      const response = await (method === "GET" ? app().refresh.GET(request) : app().refresh.POST(request));
      user.jar.store(response);
      return response;
    };
    const userRow = (email: string) =>
      app().db.selectFrom("user").select("id").where("email", "=", email).executeTakeFirst();

    beforeAll(async () => {
      const jwks = await (await device().call("/jwks")).json();
      verify = createVerifier({ keys: createKeySource({ jwks }), issuer: BASE, audience: BASE });
    });

    it("lists every live session with the user agent it signed in with and its times", async () => {
      const email = uniqueEmail("devices");
      const laptop = await signUp(email, CHROME);
      await signIn(email, FIREFOX);
      const list = await sessions(laptop);
      expect(list.map((s) => s.userAgent).sort()).toEqual([CHROME, FIREFOX].sort());
      for (const s of list) {
        expect(Date.parse(s.createdAt)).toBeLessThanOrEqual(Date.now());
        expect(Date.parse(s.updatedAt)).toBeGreaterThanOrEqual(Date.parse(s.createdAt));
      }
    });

    it("revoke-session signs out exactly that device: its refresh fails, this one keeps working", async () => {
      const email = uniqueEmail("revoke-one");
      const laptop = await signUp(email);
      const phone = await signIn(email);
      const tablet = await signIn(email);
      const { session: phoneSession } = (await (await phone.call("/get-session")).json()) as { session: Session };
      const response = await laptop.call("/revoke-session", { body: { token: phoneSession.token } });
      expect(response.status).toBe(200);
      expect(laptop.jar.get(ACCESS_COOKIE)).toBeTruthy(); // another device's session: this one's cookies stay
      expect((await refresh(phone)).status).toBe(401);
      expect(phone.jar.get(ACCESS_COOKIE)).toBeUndefined();
      expect((await refresh(laptop)).status).toBe(200);
      expect((await refresh(tablet)).status).toBe(200);
      expect(await sessions(laptop)).toHaveLength(2);
    });

    it("revoke-session ignores another user's session token", async () => {
      const victim = await signUp(uniqueEmail("victim"));
      const attacker = await signUp(uniqueEmail("attacker"));
      const [victimSession] = await sessions(victim);
      await attacker.call("/revoke-session", { body: { token: victimSession?.token } });
      expect((await refresh(victim)).status).toBe(200);
      expect(await sessions(victim)).toHaveLength(1);
    });

    it("revoke-session on this device's own session clears its session and access cookies", async () => {
      const email = uniqueEmail("revoke-self");
      const laptop = await signUp(email);
      const [own] = await sessions(laptop);
      const response = await laptop.call("/revoke-session", { body: { token: own?.token } });
      expect(response.status).toBe(200);
      expect(response.headers.getSetCookie().find((c) => c.startsWith(`${ACCESS_COOKIE}=`))).toMatch(/Max-Age=0/);
      expect(laptop.jar.get(ACCESS_COOKIE)).toBeUndefined();
      expect((await refresh(laptop)).status).toBe(401);
    });

    it("revoke-other-sessions: the other device's next refresh answers 401 (GET: sent to sign-in), this one's 200", async () => {
      const email = uniqueEmail("revoke-others");
      const laptop = await signUp(email);
      const phone = await signIn(email);
      const again = await signIn(email);
      expect((await laptop.call("/revoke-other-sessions", { body: {} })).status).toBe(200);
      const post = await refresh(phone);
      expect(post.status).toBe(401);
      expect(await post.json()).toMatchObject({ error: "unauthorized" });
      const hop = await refresh(again, "GET");
      expect(hop.status).toBe(303);
      expect(locationPath(hop)).toBe("/sign-in?next=%2Faccount");
      expect((await refresh(laptop)).status).toBe(200);
      expect(await sessions(laptop)).toHaveLength(1);
    });

    it("revoke-sessions ends every device, this one included, and clears its access cookie", async () => {
      const email = uniqueEmail("revoke-all");
      const laptop = await signUp(email);
      const phone = await signIn(email);
      expect((await laptop.call("/revoke-sessions", { body: {} })).status).toBe(200);
      expect(laptop.jar.get(ACCESS_COOKIE)).toBeUndefined();
      expect((await refresh(laptop)).status).toBe(401);
      expect((await refresh(phone)).status).toBe(401);
    });

    it("change-password with revokeOtherSessions: others signed out, this device gets a new session and JWT and keeps working", async () => {
      const email = uniqueEmail("change-pw");
      const laptop = await signUp(email);
      const phone = await signIn(email);
      const oldSession = laptop.jar.get("better-auth.session_token");
      const oldAccess = laptop.jar.get(ACCESS_COOKIE);
      const response = await laptop.call("/change-password", {
        body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, revokeOtherSessions: true },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("private, no-store");
      const newSession = laptop.jar.get("better-auth.session_token");
      expect(newSession).toBeTruthy();
      expect(newSession).not.toBe(oldSession);
      const access = laptop.jar.get(ACCESS_COOKIE) as string;
      expect(access).not.toBe(oldAccess);
      expect(await verify(access)).toMatchObject({ ok: true, claims: { email } });
      expect((await refresh(laptop)).status).toBe(200);
      expect((await refresh(phone)).status).toBe(401);
      expect(await sessions(laptop)).toHaveLength(1);
      const old = await device().call("/sign-in/email", { body: { email, password: PASSWORD } });
      expect(old.status).toBe(401);
      await signIn(email, FIREFOX, NEW_PASSWORD);
    });

    it("change-password without revokeOtherSessions keeps the other devices and this device's cookies", async () => {
      const email = uniqueEmail("change-pw-keep");
      const laptop = await signUp(email);
      const phone = await signIn(email);
      const access = laptop.jar.get(ACCESS_COOKIE);
      const response = await laptop.call("/change-password", {
        body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, revokeOtherSessions: false },
      });
      expect(response.status).toBe(200);
      expect(laptop.jar.get(ACCESS_COOKIE)).toBe(access);
      expect((await refresh(phone)).status).toBe(200);
      expect((await refresh(laptop)).status).toBe(200);
    });

    it("change-password with a wrong current password changes nothing and signs no one out", async () => {
      const email = uniqueEmail("change-pw-wrong");
      const laptop = await signUp(email);
      const phone = await signIn(email);
      const response = await laptop.call("/change-password", {
        body: { currentPassword: "not-my-password", newPassword: NEW_PASSWORD, revokeOtherSessions: true },
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: "INVALID_PASSWORD" });
      expect((await refresh(phone)).status).toBe(200);
      await signIn(email, FIREFOX, PASSWORD);
    });

    it("delete-user refuses without the password or with a wrong one, and deletes nothing", async () => {
      const email = uniqueEmail("delete-refused");
      const laptop = await signUp(email);
      for (const body of [{}, { password: "" }, { password: "not-my-password" }]) {
        const response = await laptop.call("/delete-user", { body });
        expect(response.status).toBe(400);
        expect(response.headers.getSetCookie().some((c) => c.startsWith(`${ACCESS_COOKIE}=`))).toBe(false);
      }
      expect(await userRow(email)).toBeDefined();
      expect((await refresh(laptop)).status).toBe(200);
    });

    it("delete-user with the password deletes at once: every row of the user gone, cookies cleared, devices out", async () => {
      const email = uniqueEmail("delete");
      const laptop = await signUp(email);
      const phone = await signIn(email);
      const id = (await userRow(email))?.id as string;
      const now = new Date();
      await db()
        .insertInto("verification")
        .values({
          id: `pending-reset-${id}`,
          identifier: `reset-password:${id}`,
          value: id,
          expiresAt: new Date(now.getTime() + 3_600_000),
          createdAt: now,
          updatedAt: now,
        })
        .execute();

      const response = await laptop.call("/delete-user", { body: { password: PASSWORD } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ success: true });
      const cleared = response.headers.getSetCookie();
      expect(cleared.find((c) => c.startsWith(`${ACCESS_COOKIE}=`))).toMatch(/Max-Age=0/);
      expect(cleared.find((c) => c.startsWith("better-auth.session_token="))).toMatch(/Max-Age=0/);
      expect(laptop.jar.cookies.size).toBe(0);

      expect(await userRow(email)).toBeUndefined();
      expect(await app().db.selectFrom("account").select("id").where("userId", "=", id).execute()).toEqual([]);
      expect(await app().db.selectFrom("session").select("id").where("userId", "=", id).execute()).toEqual([]);
      expect(await db().selectFrom("verification").select("id").where("value", "=", id).execute()).toEqual([]);
      expect((await refresh(phone)).status).toBe(401);
      const again = await device().call("/sign-in/email", { body: { email, password: PASSWORD } });
      expect(again.status).toBe(401);
    });

    it("last active: a refresh moves the session's updatedAt once it is a token lifetime old, not before", async () => {
      const email = uniqueEmail("last-active");
      const laptop = await signUp(email);
      const [own] = await sessions(laptop);
      const week = 7 * 24 * 3600 * 1000; // Better Auth's session lifetime: expiresAt = last update + 7 days
      const setLastUpdate = (at: Date) =>
        db()
          .updateTable("session")
          .set({ updatedAt: at, expiresAt: new Date(at.getTime() + week) })
          .where("id", "=", own?.id as string)
          .execute();
      const updatedAt = async () =>
        (
          await db()
            .selectFrom("session")
            .select("updatedAt")
            .where("id", "=", own?.id as string)
            .executeTakeFirstOrThrow()
        ).updatedAt.getTime();

      const recent = new Date(Date.now() - 60_000); // younger than one token lifetime (300 s)
      await setLastUpdate(recent);
      expect((await refresh(laptop)).status).toBe(200);
      expect(await updatedAt()).toBe(recent.getTime());

      const stale = new Date(Date.now() - 10 * 60_000);
      await setLastUpdate(stale);
      const before = Date.now();
      expect((await refresh(laptop)).status).toBe(200);
      expect(await updatedAt()).toBeGreaterThanOrEqual(before - 1_000);
    });
  });
}
