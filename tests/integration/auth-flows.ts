/**
 * The Better Auth flows every database must pass (sign-up, sign-in, token,
 * session list, sign-out, revocation), through the real `/api/auth/*` route
 * handler in-process. Registered once per database by its own test file.
 */
import { decodeJwt } from "jose";
import type { Kysely } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import { createKeySource } from "@/lib/edge/keys";
import type { Verifier } from "@/lib/edge/verify";
import { createVerifier } from "@/lib/edge/verify";
import type { AuthCaller } from "../helpers/auth-handler";
import { authCaller, BASE } from "../helpers/auth-handler";
import { uniqueEmail } from "../helpers/http";

/** The app under test, loaded once the database is configured. */
export interface AuthApp {
  /** The `/api/auth/[...all]` route handler (GET and POST). */
  handler(request: Request): Promise<Response>;
  /** The `/api/auth/refresh` route handlers. */
  refresh: { GET(request: Request): Promise<Response>; POST(request: Request): Promise<Response> };
  db: Kysely<Database>;
  migrate(): Promise<string[]>;
}

/** Imports the app (after `DATABASE_URL` is set) and prepares its schema. */
export async function loadAuthApp(): Promise<AuthApp> {
  const { ensureReady, migrate } = await import("@/lib/auth");
  const route = await import("@/app/api/auth/[...all]/route");
  const refresh = await import("@/app/api/auth/refresh/route");
  const { getDb } = await import("@/lib/db");
  await ensureReady();
  return {
    handler: (request) => (request.method === "GET" ? route.GET(request) : route.POST(request)),
    refresh,
    db: getDb().db,
    migrate,
  };
}

const PASSWORD = "correct-horse-1";

/** Registers the shared flows; `app()` is valid from the first test on. */
export function describeAuthFlows(title: string, app: () => AuthApp): void {
  describe(title, () => {
    let verify: Verifier;
    const caller = (): AuthCaller => authCaller(app().handler);
    const signUp = async (email: string, name = "Test User"): Promise<AuthCaller> => {
      const user = caller();
      expect((await user.call("/sign-up/email", { body: { email, password: PASSWORD, name } })).status).toBe(200);
      return user;
    };
    const signIn = async (email: string): Promise<AuthCaller> => {
      const user = caller();
      expect((await user.call("/sign-in/email", { body: { email, password: PASSWORD } })).status).toBe(200);
      return user;
    };
    const userId = async (email: string) =>
      (await app().db.selectFrom("user").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
    const sessionCount = async (email: string) =>
      (
        await app()
          .db.selectFrom("session")
          .select("id")
          .where("userId", "=", await userId(email))
          .execute()
      ).length;

    beforeAll(async () => {
      const jwks = await (await caller().call("/jwks")).json();
      verify = createVerifier({ keys: createKeySource({ jwks }), issuer: BASE, audience: BASE });
    });

    it("signs up, sets an HttpOnly access-JWT cookie that verifies, with a small payload", async () => {
      const user = caller();
      const email = uniqueEmail("signup");
      const response = await user.call("/sign-up/email", { body: { email, password: PASSWORD, name: "Ann" } });
      expect(response.status).toBe(200);
      const access = response.headers.getSetCookie().find((c) => c.startsWith(`${ACCESS_COOKIE}=`));
      expect(access).toMatch(/HttpOnly/i);
      expect(access).toMatch(/SameSite=Lax/i);
      expect(access).toMatch(/Path=\//);
      expect(access).toMatch(/Max-Age=300/);
      expect(response.headers.get("cache-control")).toBe("private, no-store");
      const token = user.jar.get(ACCESS_COOKIE) as string;
      expect(await verify(token)).toMatchObject({ ok: true, claims: { email, name: "Ann", role: "user" } });
      expect(Object.keys(decodeJwt(token)).sort()).toEqual([
        "aud",
        "email",
        "exp",
        "iat",
        "iss",
        "name",
        "role",
        "sid",
        "sub",
      ]);
      const { exp = 0, iat = 0 } = decodeJwt(token);
      expect(exp - iat).toBe(300);
    });

    it("signs in, and GET /token returns a JWT for the same user", async () => {
      const email = uniqueEmail("signin");
      await signUp(email);
      const user = await signIn(email);
      expect(user.jar.get(ACCESS_COOKIE)).toBeTruthy();
      const { token } = (await (await user.call("/token")).json()) as { token: string };
      const result = await verify(token);
      expect(result.ok && result.claims.email).toBe(email);
    });

    it("answers a wrong password, a taken email and a weak password with clear 4xx codes", async () => {
      const email = uniqueEmail("errors");
      await signUp(email);
      const wrong = await caller().call("/sign-in/email", { body: { email, password: "wrong-password" } });
      expect(wrong.status).toBe(401);
      expect(((await wrong.json()) as { code: string }).code).toBe("INVALID_EMAIL_OR_PASSWORD");
      const taken = await caller().call("/sign-up/email", { body: { email, password: "another-pass-1", name: "Cy" } });
      expect(taken.status).toBe(422);
      expect(((await taken.json()) as { code: string }).code).toMatch(/USER_ALREADY_EXISTS/);
      const weak = await caller().call("/sign-up/email", {
        body: { email: uniqueEmail(), password: "short", name: "Cy" },
      });
      expect(weak.status).toBe(400);
      expect(((await weak.json()) as { code: string }).code).toBe("PASSWORD_TOO_SHORT");
    });

    it("ignores a role sent at sign-up: users cannot make themselves admin", async () => {
      const user = caller();
      const body = { email: uniqueEmail("role"), password: PASSWORD, name: "Di", role: "admin" };
      const response = await user.call("/sign-up/email", { body });
      if (response.status === 200) expect(decodeJwt(user.jar.get(ACCESS_COOKIE) as string).role).toBe("user");
      else expect(response.status).toBe(400);
    });

    it("lists every session of the user, one per sign-in", async () => {
      const email = uniqueEmail("list");
      const first = await signUp(email);
      await signIn(email);
      const response = await first.call("/list-sessions");
      expect(response.status).toBe(200);
      const sessions = (await response.json()) as Array<{ userId: string }>;
      expect(sessions).toHaveLength(2);
      expect(new Set(sessions.map((s) => s.userId))).toEqual(new Set([await userId(email)]));
    });

    it("signs out: deletes the session row, clears the access cookie, and /token then answers 401", async () => {
      const email = uniqueEmail("signout");
      const user = await signUp(email);
      expect(await sessionCount(email)).toBe(1);
      const out = await user.call("/sign-out", { body: {} });
      expect(out.status).toBe(200);
      expect(out.headers.getSetCookie().find((c) => c.startsWith(`${ACCESS_COOKIE}=`))).toMatch(/Max-Age=0/);
      expect(user.jar.get(ACCESS_COOKIE)).toBeUndefined();
      expect(await sessionCount(email)).toBe(0);
      expect((await user.call("/token")).status).toBe(401);
    });

    it("revokes the other sessions: the other device loses its session, this one keeps it", async () => {
      const email = uniqueEmail("revoke-others");
      const here = await signUp(email);
      const elsewhere = await signIn(email);
      expect((await here.call("/revoke-other-sessions", { body: {} })).status).toBe(200);
      expect(await sessionCount(email)).toBe(1);
      expect((await here.call("/token")).status).toBe(200);
      expect((await elsewhere.call("/token")).status).toBe(401);
    });

    it("revokes every session: both devices lose their session and the access cookie is cleared", async () => {
      const email = uniqueEmail("revoke-all");
      const here = await signUp(email);
      const elsewhere = await signIn(email);
      expect(await sessionCount(email)).toBe(2);
      const response = await here.call("/revoke-sessions", { body: {} });
      expect(response.status).toBe(200);
      expect(here.jar.get(ACCESS_COOKIE)).toBeUndefined();
      expect(await sessionCount(email)).toBe(0);
      expect((await here.call("/token")).status).toBe(401);
      expect((await elsewhere.call("/token")).status).toBe(401);
    });

    it("migrations are idempotent: a second run finds nothing to do", async () => {
      expect(await app().migrate()).toEqual([]);
    });
  });
}
