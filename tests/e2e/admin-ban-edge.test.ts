/**
 * A ban at the edge: the banned user's outstanding access JWT (cookie alone,
 * or Bearer) is refused once the revocation feed lists the ban, on
 * `/api/me` (401 `revoked`) and `/dashboard` (a redirect); everyone else is
 * untouched. A generous poll, not a stopwatch: the bound itself is the
 * revocation tests' business.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import { authCall, signUpUser } from "../helpers/admin-http";
import type { CookieJar } from "../helpers/http";
import { pageRequest, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";

const PASSWORD = "correct-horse-1";
const adminEmail = uniqueEmail("boss");
let server: NextServer;
let admin: CookieJar;

beforeAll(async () => {
  server = await startNext({ env: { AUTH_ADMIN_EMAILS: adminEmail } });
  ({ jar: admin } = await signUpUser(server.url, { email: adminEmail, password: PASSWORD, name: "Boss" }));
});
afterAll(() => server?.stop());

const meWith = async (headers: Record<string, string>) => {
  const response = await fetch(`${server.url}/api/me`, { headers });
  return { status: response.status, body: (await response.json()) as { reason?: string } };
};

describe("a ban at the edge", () => {
  it("refuses the banned user's outstanding JWT, as cookie and as Bearer, and no one else's", async () => {
    const banned = await signUpUser(server.url, { email: uniqueEmail("banned"), password: PASSWORD, name: "B" });
    const bystander = await signUpUser(server.url, { email: uniqueEmail("fine"), password: PASSWORD, name: "F" });
    const token = banned.jar.get(ACCESS_COOKIE) as string;
    const cookieOnly = { cookie: `${ACCESS_COOKIE}=${token}` };
    const bearer = { authorization: `Bearer ${token}` };
    expect((await meWith(cookieOnly)).status).toBe(200);
    expect((await meWith(bearer)).status).toBe(200);

    const ban = await authCall(server.url, "admin/ban-user", { jar: admin, body: { userId: banned.id } });
    expect(ban.status).toBe(200);

    let last = await meWith(bearer);
    for (let i = 0; i < 60 && last.status === 200; i++) {
      await new Promise((r) => setTimeout(r, 500));
      last = await meWith(bearer);
    }
    expect(last).toMatchObject({ status: 401, body: { reason: "revoked" } });
    expect((await meWith(cookieOnly)).status).toBe(401);
    const page = await fetch(`${server.url}/dashboard`, pageRequest(`${ACCESS_COOKIE}=${token}`));
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toContain("/sign-in");
    expect((await meWith({ cookie: bystander.jar.header() })).status).toBe(200);
  });
});
