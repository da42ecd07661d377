/**
 * The vertical slice over real HTTP against `next build && next start`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import type { CookieJar } from "../helpers/http";
import { locationPath, pageRequest, signUp, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";

let server: NextServer;
let jar: CookieJar;
const email = uniqueEmail("slice");

beforeAll(async () => {
  server = await startNext();
  ({ jar } = await signUp(server.url, { email, password: "correct-horse-1", name: "Slice User" }));
});
afterAll(() => server?.stop());

function withAccess(token: string): string {
  return `${ACCESS_COOKIE}=${token}`;
}

describe("vertical slice over HTTP", () => {
  it("redirects /dashboard without a cookie to sign-in with next", async () => {
    const response = await fetch(`${server.url}/dashboard`, pageRequest());
    expect(response.status).toBe(307);
    expect(locationPath(response)).toBe("/sign-in?next=%2Fdashboard");
  });

  it("serves /dashboard with the user's email once signed up, on the JWT cookie alone", async () => {
    const token = jar.get(ACCESS_COOKIE) as string;
    expect(token).toBeTruthy();
    const response = await fetch(`${server.url}/dashboard`, pageRequest(withAccess(token)));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(email);
  });

  it("redirects a tampered cookie to sign-in", async () => {
    const token = jar.get(ACCESS_COOKIE) as string;
    const [h, p, s] = token.split(".") as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, "base64url").toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, email: "mallory@example.com" })).toString("base64url")}.${s}`;
    const response = await fetch(`${server.url}/dashboard`, pageRequest(withAccess(forged)));
    expect(response.status).toBe(307);
    expect(locationPath(response)).toBe("/sign-in?next=%2Fdashboard");
  });

  it("answers /api/me with the Bearer token from /api/auth/token, and 401 without", async () => {
    const tokenResponse = await fetch(`${server.url}/api/auth/token`, { headers: { cookie: jar.header() } });
    const { token } = (await tokenResponse.json()) as { token: string };
    const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    const body = (await me.json()) as { id: string; email: string; expiresAt: string };
    expect(body.email).toBe(email);
    expect(body.id).toMatch(/\w+/);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
    const anonymous = await fetch(`${server.url}/api/me`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toContain('Bearer error="invalid_token"');
    expect(await anonymous.json()).toMatchObject({ error: "unauthorized" });
  });

  it("serves the JWKS and the auth API without the guard", async () => {
    const jwks = await fetch(`${server.url}/api/auth/jwks`);
    expect(jwks.status).toBe(200);
    const { keys } = (await jwks.json()) as { keys: Array<{ kty: string; crv: string; alg: string }> };
    expect(keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA" });
  });

  it("signs out: the session is revoked and /dashboard redirects again", async () => {
    const out = await fetch(`${server.url}/api/auth/sign-out`, {
      method: "POST",
      headers: { cookie: jar.header(), origin: server.url, "content-type": "application/json" },
      body: "{}",
    });
    expect(out.status).toBe(200);
    jar.store(out);
    expect(jar.get(ACCESS_COOKIE)).toBeUndefined();
    const response = await fetch(`${server.url}/dashboard`, pageRequest(jar.header()));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toContain("/sign-in");
    const token = await fetch(`${server.url}/api/auth/token`, { headers: { cookie: jar.header() } });
    expect(token.status).toBe(401);
  });
});
