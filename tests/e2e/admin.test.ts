/**
 * The admin feature over real HTTP against `next start`: the
 * `AUTH_ADMIN_EMAILS` bootstrap, Better Auth's admin endpoints (admins only),
 * the `/admin` page (guard rule, search, paging, the database re-check), its
 * Server Actions, and what a ban does (sessions gone, sign-in and refresh refused).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionIdOf, authCall, me, postAction, signIn, signUpUser } from "../helpers/admin-http";
import type { CookieJar } from "../helpers/http";
import { locationPath, pageRequest, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";

const PASSWORD = "correct-horse-1";
const adminEmail = uniqueEmail("boss");
const secondAdminEmail = uniqueEmail("deputy");
let server: NextServer;
let admin: CookieJar;

async function newUser(prefix: string): Promise<{ email: string; id: string; jar: CookieJar }> {
  const email = uniqueEmail(prefix);
  const { status, id, jar } = await signUpUser(server.url, { email, password: PASSWORD, name: prefix });
  expect(status).toBe(200);
  return { email, id, jar };
}

const page = async (path: string, jar?: CookieJar) => {
  const response = await fetch(`${server.url}${path}`, pageRequest(jar?.header()));
  return { status: response.status, location: locationPath(response), html: await response.text() };
};
/** The page's "N users matching … · page X of Y" line, as text. */
const total = (html: string) => /data-testid="total">(.*?)<\/p>/s.exec(html)?.[1]?.replace(/<!-- -->/g, "");
const cards = (html: string) => html.match(/data-testid="user"/g)?.length ?? 0;

beforeAll(async () => {
  // The second address is listed in upper case: the bootstrap compares emails case-insensitively.
  server = await startNext({ env: { AUTH_ADMIN_EMAILS: ` ${adminEmail}, ${secondAdminEmail.toUpperCase()} ` } });
  ({ jar: admin } = await signUpUser(server.url, { email: adminEmail, password: PASSWORD, name: "Boss" }));
});
afterAll(() => server?.stop());

describe("roles", () => {
  it("makes every AUTH_ADMIN_EMAILS address an admin at sign-up and everyone else a user", async () => {
    expect(await me(server.url, admin)).toEqual({ status: 200, role: "admin" });
    const deputy = await newUser("x");
    expect(await me(server.url, deputy.jar)).toEqual({ status: 200, role: "user" });
    const { jar } = await signUpUser(server.url, { email: secondAdminEmail, password: PASSWORD, name: "Deputy" });
    expect(await me(server.url, jar)).toEqual({ status: 200, role: "admin" });
  });

  it("never lets a sign-up choose its role or ban state", async () => {
    const email = uniqueEmail("sneaky");
    const body = { email, password: PASSWORD, name: "S", role: "admin", banned: false };
    const { status } = await authCall(server.url, "sign-up/email", { body });
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect((await signIn(server.url, email, PASSWORD)).status).toBe(401);
  });
});

describe("Better Auth's admin endpoints", () => {
  const calls: Array<[string, (id: string) => { path: string; body?: unknown }]> = [
    ["list-users", () => ({ path: "admin/list-users" })],
    ["get-user", (id) => ({ path: `admin/get-user?id=${id}` })],
    ["list-user-sessions", (id) => ({ path: "admin/list-user-sessions", body: { userId: id } })],
    ["ban-user", (id) => ({ path: "admin/ban-user", body: { userId: id, banReason: "x" } })],
    ["unban-user", (id) => ({ path: "admin/unban-user", body: { userId: id } })],
    ["set-role", (id) => ({ path: "admin/set-role", body: { userId: id, role: "admin" } })],
    ["revoke-user-sessions", (id) => ({ path: "admin/revoke-user-sessions", body: { userId: id } })],
    ["remove-user", (id) => ({ path: "admin/remove-user", body: { userId: id } })],
  ];

  it.each(calls)("%s refuses the signed-out (401) and non-admins (403), even about themselves", async (_, call) => {
    const user = await newUser("plain");
    const request = call(user.id);
    expect((await authCall(server.url, request.path, { body: request.body })).status).toBe(401);
    const forged = { "x-auth-user-role": "admin", "x-auth-user-id": user.id };
    const asUser = await authCall(server.url, request.path, { jar: user.jar, body: request.body, headers: forged });
    expect(asUser.status).toBe(403);
    // Nothing changed: still a user with a live session, as the database says.
    const stored = await authCall(server.url, `admin/get-user?id=${user.id}`, { jar: admin });
    expect(stored.json).toMatchObject({ role: "user", banned: false });
    expect((await authCall(server.url, "get-session", { jar: user.jar })).json).not.toBeNull();
  });

  it("answers an admin: users by email with role and ban state, and their sessions", async () => {
    const user = await newUser("listed");
    const listed = await authCall(server.url, `admin/list-users?searchValue=${encodeURIComponent(user.email)}`, {
      jar: admin,
    });
    expect(listed.status).toBe(200);
    expect(listed.json).toMatchObject({ total: 1, users: [{ id: user.id, role: "user", banned: false }] });
    const sessions = await authCall(server.url, "admin/list-user-sessions", { jar: admin, body: { userId: user.id } });
    expect(sessions.status).toBe(200);
    expect((sessions.json?.sessions as unknown[] | undefined)?.length).toBe(1);
  });
});

describe("a ban", () => {
  it("revokes every session and refuses sign-in and refresh until unbanned", async () => {
    const user = await newUser("banned");
    const other = await signIn(server.url, user.email, PASSWORD); // a second device
    const before = Date.now();
    const ban = await authCall(server.url, "admin/ban-user", {
      jar: admin,
      body: { userId: user.id, banReason: "spam", banExpiresIn: 3600 },
    });
    expect(ban.status).toBe(200);
    const banned = ban.json?.user as { banned: boolean; banReason: string; banExpires: string };
    expect(banned).toMatchObject({ banned: true, banReason: "spam" });
    expect(Date.parse(banned.banExpires) - before).toBeGreaterThan(3500_000);
    expect(Date.parse(banned.banExpires) - before).toBeLessThan(3700_000);

    const sessions = await authCall(server.url, "admin/list-user-sessions", { jar: admin, body: { userId: user.id } });
    expect(sessions.json?.sessions).toEqual([]);
    for (const jar of [user.jar, other.jar]) {
      expect((await authCall(server.url, "get-session", { jar })).json).toBeNull();
      const refresh = await fetch(`${server.url}/api/auth/refresh`, {
        method: "POST",
        headers: { cookie: jar.header(), origin: server.url },
      });
      expect(refresh.status).toBe(401);
      expect(
        locationPath(await fetch(`${server.url}/api/auth/refresh?next=/dashboard`, pageRequest(jar.header()))),
      ).toMatch(/^\/sign-in/);
    }
    const refused = await signIn(server.url, user.email, PASSWORD);
    expect(refused).toMatchObject({ status: 403, code: "BANNED_USER" });
    expect(refused.jar.cookies.size).toBe(0);
    // Only a right password learns of the ban: a wrong one gets the usual answer.
    expect((await signIn(server.url, user.email, "wrong-password-1")).status).toBe(401);

    expect((await authCall(server.url, "admin/unban-user", { jar: admin, body: { userId: user.id } })).status).toBe(
      200,
    );
    expect((await signIn(server.url, user.email, PASSWORD)).status).toBe(200);
  });

  it("lifts itself once its expiry has passed", async () => {
    const user = await newUser("brief");
    const ban = await authCall(server.url, "admin/ban-user", {
      jar: admin,
      body: { userId: user.id, banExpiresIn: 1 },
    });
    expect(ban.status).toBe(200);
    let status = 0;
    for (let i = 0; i < 30 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      status = (await signIn(server.url, user.email, PASSWORD)).status;
      if (status !== 200) expect(status).toBe(403);
    }
    expect(status).toBe(200);
  });

  it("cannot be turned against the admin themselves", async () => {
    const self = (await me(server.url, admin)) as { status: number };
    expect(self.status).toBe(200);
    const { json } = await authCall(server.url, "get-session", { jar: admin });
    const id = (json?.user as { id: string } | undefined)?.id ?? "";
    expect((await authCall(server.url, "admin/ban-user", { jar: admin, body: { userId: id } })).status).toBe(400);
  });
});

describe("/admin", () => {
  it("sends a visitor to sign-in and a non-admin a 403, before anything renders", async () => {
    expect(await page("/admin")).toMatchObject({ status: 307, location: "/sign-in?next=%2Fadmin" });
    const user = await newUser("nosy");
    const refused = await page("/admin", user.jar);
    expect(refused.status).toBe(403);
    expect(refused.html).not.toContain(adminEmail);
  });

  it("lists users found by email, twenty per page, with role, status and sessions", async () => {
    const tag = `page${Date.now().toString(36)}`;
    for (let i = 0; i < 22; i++) {
      const body = { email: uniqueEmail(tag), password: PASSWORD, name: tag, role: "user" };
      expect((await authCall(server.url, "admin/create-user", { jar: admin, body })).status).toBe(200);
    }
    const first = await page(`/admin?q=${tag.toUpperCase()}`, admin);
    expect(first.status).toBe(200);
    expect(total(first.html)).toBe(`22 users matching “${tag.toUpperCase()}” · page 1 of 2`);
    expect(cards(first.html)).toBe(20);
    expect(first.html).toContain('data-testid="role">user<');
    expect(first.html).toContain('data-testid="session-count">0<');
    expect(first.html).toContain('data-testid="status">active<');
    const second = await page(`/admin?q=${tag}&page=1`, admin);
    expect(cards(second.html)).toBe(2);
    expect(cards((await page("/admin?q=nobody-has-this-address", admin)).html)).toBe(0);
  });

  it("bans, unbans, revokes and sets the role through its Server Actions", async () => {
    const user = await newUser("target");
    const at = `/admin?q=${encodeURIComponent(user.email)}`;
    const act = async (button: string, fields: Record<string, string>) => {
      const id = actionIdOf((await page(at, admin)).html, button);
      const response = await postAction(
        `${server.url}${at}`,
        id,
        { userId: user.id, q: user.email, ...fields },
        admin.header(),
      );
      expect(response.status).toBe(303);
      return locationPath(response);
    };
    expect(await act("Ban", { reason: "abuse", expiresIn: "86400" })).toBe(
      `/admin?q=${encodeURIComponent(user.email)}&notice=banned`,
    );
    expect(await signIn(server.url, user.email, PASSWORD)).toMatchObject({ status: 403, code: "BANNED_USER" });
    const shown = (await page(at, admin)).html;
    expect(shown).toMatch(/data-testid="status">banned until [0-9T:.-]+Z: abuse</);
    expect(shown).toContain('data-testid="session-count">0<');

    expect(await act("Unban", {})).toContain("notice=unbanned");
    const device = await signIn(server.url, user.email, PASSWORD);
    expect(device.status).toBe(200);

    expect(await act("Revoke all sessions", {})).toContain("notice=revoked");
    const refresh = await fetch(`${server.url}/api/auth/refresh`, {
      method: "POST",
      headers: { cookie: device.jar.header(), origin: server.url },
    });
    expect(refresh.status).toBe(401);

    expect(await act("Set role", { role: "admin" })).toContain("notice=role_set");
    const promoted = await signIn(server.url, user.email, PASSWORD);
    expect(await me(server.url, promoted.jar)).toEqual({ status: 200, role: "admin" });
    expect((await page("/admin", promoted.jar)).status).toBe(200);
    expect(await act("Set role", { role: "owner" })).toContain("notice=invalid");
  });

  it("refuses a non-admin's Server Action at the guard, and changes nothing", async () => {
    const user = await newUser("mallory");
    const victim = await newUser("victim");
    const id = actionIdOf((await page(`/admin?q=${victim.email}`, admin)).html, "Ban");
    const response = await postAction(`${server.url}/admin`, id, { userId: victim.id }, user.jar.header());
    expect(response.status).toBe(403);
    expect((await signIn(server.url, victim.email, PASSWORD)).status).toBe(200);
  });

  it("re-checks the role in the database: a demoted admin's still-valid JWT gets nothing", async () => {
    const deputy = await signIn(server.url, secondAdminEmail, PASSWORD);
    expect(await me(server.url, deputy.jar)).toEqual({ status: 200, role: "admin" });
    const { json } = await authCall(server.url, "get-session", { jar: deputy.jar });
    const id = (json?.user as { id: string } | undefined)?.id ?? "";
    expect(
      (await authCall(server.url, "admin/set-role", { jar: admin, body: { userId: id, role: "user" } })).status,
    ).toBe(200);
    // The JWT still says admin until it expires, so the guard lets the page through…
    expect((await me(server.url, deputy.jar)).role).toBe("admin");
    const shown = await page("/admin", deputy.jar);
    expect(shown.status).toBe(200);
    // …but the page's reads go through Better Auth's admin check against the database.
    expect(shown.html).toContain("Forbidden");
    expect(cards(shown.html)).toBe(0);
    expect((await authCall(server.url, "admin/list-users", { jar: deputy.jar })).status).toBe(403);
  });
});
