/**
 * The admin page's own checks, with the guard out of the way: a copy of the
 * app built without `middleware.ts` (as after a CVE-2025-29927-class bypass).
 * `requireRole` on the page and in every Server Action, and Better Auth's
 * admin endpoints, must refuse a non-admin by themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionIdOf, authCall, postAction, signIn, signUpUser } from "../helpers/admin-http";
import type { AppCopy } from "../helpers/app-copy";
import { buildAppCopy } from "../helpers/app-copy";
import type { CookieJar } from "../helpers/http";
import { locationPath, pageRequest, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";

const PASSWORD = "correct-horse-1";
const adminEmail = uniqueEmail("boss");
const userEmail = uniqueEmail("mallory");
const victimEmail = uniqueEmail("victim");
let copy: AppCopy;
let server: NextServer;
let admin: CookieJar;
let user: CookieJar;
let victimId: string;

beforeAll(async () => {
  copy = await buildAppCopy({ middleware: "none" });
  server = await startNext({ cwd: copy.dir, env: { AUTH_ADMIN_EMAILS: adminEmail } });
  ({ jar: admin } = await signUpUser(server.url, { email: adminEmail, password: PASSWORD, name: "Boss" }));
  ({ jar: user } = await signUpUser(server.url, { email: userEmail, password: PASSWORD, name: "Mallory" }));
  ({ id: victimId } = await signUpUser(server.url, { email: victimEmail, password: PASSWORD, name: "Victim" }));
}, 300_000);
afterAll(async () => {
  await server?.stop();
  await copy?.remove();
});

const page = async (path: string, jar?: CookieJar, extra: Record<string, string> = {}) => {
  const init = pageRequest(jar?.header());
  const response = await fetch(`${server.url}${path}`, { ...init, headers: { ...init.headers, ...extra } });
  return { status: response.status, location: locationPath(response), html: await response.text() };
};

describe("/admin without the middleware", () => {
  it("still sends a visitor to sign-in and shows an admin the users", async () => {
    expect(await page("/admin")).toMatchObject({ status: 307, location: "/sign-in?next=%2Fadmin" });
    const shown = await page(`/admin?q=${victimEmail}`, admin);
    expect(shown.html).toContain(`data-email="${victimEmail}"`);
  });

  it("shows a non-admin Forbidden and no user, whatever identity headers they send", async () => {
    const forged = { "x-auth-user-role": "admin", "x-auth-user-email": adminEmail };
    const shown = await page(`/admin?q=${victimEmail}`, user, forged);
    expect(shown.status).toBeLessThan(500);
    expect(shown.html).toContain("Forbidden");
    expect(shown.html).not.toContain(victimEmail);
  });

  it("refuses a non-admin's Server Actions in the action itself", async () => {
    const html = (await page(`/admin?q=${victimEmail}`, admin)).html;
    for (const [button, fields] of [
      ["Ban", { reason: "x" }],
      ["Set role", { role: "admin" }],
      ["Revoke all sessions", {}],
    ] as const) {
      const response = await postAction(
        `${server.url}/admin`,
        actionIdOf(html, button),
        { userId: victimId, ...fields },
        user.header(),
      );
      expect(response.status).toBe(303);
      expect(locationPath(response)).toBe("/admin?notice=forbidden");
    }
    const victim = await authCall(server.url, `admin/get-user?id=${victimId}`, { jar: admin });
    expect(victim.json).toMatchObject({ role: "user", banned: false });
    expect((await signIn(server.url, victimEmail, PASSWORD)).status).toBe(200);
  });
});
