import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { auth, ensureReady } from "@/lib/auth";
import { getDb } from "@/lib/db";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import { createKeySource } from "@/lib/edge/keys";
import { createVerifier } from "@/lib/edge/verify";
import type { Verifier } from "@/lib/edge/verify";
import { BASE, authCaller } from "../helpers/auth-handler";
import { uniqueEmail } from "../helpers/http";

let verify: Verifier;

beforeAll(async () => {
  await ensureReady();
  const jwks = await (await auth.handler(new Request(`${BASE}/api/auth/jwks`))).json();
  verify = createVerifier({ keys: createKeySource({ jwks }), issuer: BASE, audience: BASE });
});

describe("Better Auth on PGlite", () => {
  it("signs up, sets an HttpOnly access-JWT cookie that verifies, with a small payload", async () => {
    const user = authCaller(auth.handler);
    const email = uniqueEmail("signup");
    const response = await user.call("/sign-up/email", { body: { email, password: "correct-horse-1", name: "Ann" } });
    expect(response.status).toBe(200);
    const setCookies = response.headers.getSetCookie();
    const access = setCookies.find((c) => c.startsWith(`${ACCESS_COOKIE}=`));
    expect(access).toMatch(/HttpOnly/i);
    expect(access).toMatch(/SameSite=Lax/i);
    expect(access).toMatch(/Path=\//);
    expect(access).toMatch(/Max-Age=300/);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const token = user.jar.get(ACCESS_COOKIE) as string;
    const result = await verify(token);
    expect(result).toMatchObject({ ok: true, claims: { email, name: "Ann", role: "user" } });
    expect(Object.keys(decodeJwt(token)).sort()).toEqual(["aud", "email", "exp", "iat", "iss", "name", "role", "sub"]);
    expect(decodeJwt(token).exp! - decodeJwt(token).iat!).toBe(300);
  });

  it("signs in, and GET /token returns a JWT for the same user", async () => {
    const email = uniqueEmail("signin");
    await authCaller(auth.handler).call("/sign-up/email", { body: { email, password: "correct-horse-1", name: "Bo" } });
    const user = authCaller(auth.handler);
    const signIn = await user.call("/sign-in/email", { body: { email, password: "correct-horse-1" } });
    expect(signIn.status).toBe(200);
    expect(user.jar.get(ACCESS_COOKIE)).toBeTruthy();
    const { token } = (await (await user.call("/token")).json()) as { token: string };
    const result = await verify(token);
    expect(result.ok && result.claims.email).toBe(email);
  });

  it("answers a wrong password, a taken email and a weak password with clear 4xx codes", async () => {
    const email = uniqueEmail("errors");
    const caller = authCaller(auth.handler);
    await caller.call("/sign-up/email", { body: { email, password: "correct-horse-1", name: "Cy" } });
    const wrong = await authCaller(auth.handler).call("/sign-in/email", { body: { email, password: "wrong-password" } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { code: string }).code).toBe("INVALID_EMAIL_OR_PASSWORD");
    const taken = await authCaller(auth.handler).call("/sign-up/email", { body: { email, password: "another-pass-1", name: "Cy" } });
    expect(taken.status).toBe(422);
    expect(((await taken.json()) as { code: string }).code).toMatch(/USER_ALREADY_EXISTS/);
    const weak = await authCaller(auth.handler).call("/sign-up/email", { body: { email: uniqueEmail(), password: "short", name: "Cy" } });
    expect(weak.status).toBe(400);
    expect(((await weak.json()) as { code: string }).code).toBe("PASSWORD_TOO_SHORT");
  });

  it("ignores a role sent at sign-up: users cannot make themselves admin", async () => {
    const user = authCaller(auth.handler);
    const response = await user.call("/sign-up/email", {
      body: { email: uniqueEmail("role"), password: "correct-horse-1", name: "Di", role: "admin" },
    });
    const token = user.jar.get(ACCESS_COOKIE);
    if (response.status === 200) expect(decodeJwt(token as string).role).toBe("user");
    else expect(response.status).toBe(400);
  });

  it("signs out: deletes the session row, clears the access cookie, and /token then answers 401", async () => {
    const email = uniqueEmail("signout");
    const user = authCaller(auth.handler);
    await user.call("/sign-up/email", { body: { email, password: "correct-horse-1", name: "Ed" } });
    const { db } = getDb();
    const row = await db.selectFrom("user").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    expect(await db.selectFrom("session").select("id").where("userId", "=", row.id).execute()).toHaveLength(1);
    const out = await user.call("/sign-out", { body: {} });
    expect(out.status).toBe(200);
    const cleared = out.headers.getSetCookie().find((c) => c.startsWith(`${ACCESS_COOKIE}=`));
    expect(cleared).toMatch(/Max-Age=0/);
    expect(user.jar.get(ACCESS_COOKIE)).toBeUndefined();
    expect(await db.selectFrom("session").select("id").where("userId", "=", row.id).execute()).toHaveLength(0);
    expect((await user.call("/token")).status).toBe(401);
  });

  it("migrations are idempotent: a second run finds nothing to do", async () => {
    const { migrate } = await import("@/lib/auth");
    expect(await migrate()).toEqual([]);
  });
});
