/**
 * Time and keys over real HTTP: a really expired JWT takes the refresh hop,
 * the browser refreshes its cookie in the background before expiry, and
 * `AUTH_JWKS` lets the guard verify with no key fetch at all.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import { browserMissing, launchBrowser } from "../helpers/browser";
import { CookieJar, locationPath, pageRequest, signUp, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";
import { freePort } from "../helpers/ports";

const servers: NextServer[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string>, port?: number): Promise<NextServer> {
  const server = await startNext({ env, port });
  servers.push(server);
  return server;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("expiry", () => {
  it("sends a page request with a really expired JWT and a live session through the refresh hop", async () => {
    const server = await start({ AUTH_JWT_TTL: "10" });
    const { jar } = await signUp(server.url, { email: uniqueEmail("expiry"), password: "correct-horse-1", name: "Ex" });
    await sleep(16_000); // past exp (10 s) plus the verifier's 5 s clock tolerance
    const page = await fetch(`${server.url}/dashboard`, pageRequest(jar.header()));
    expect(page.status).toBe(307);
    expect(page.headers.get("server-timing")).toContain('desc="expired"');
    expect(locationPath(page)).toBe("/api/auth/refresh?next=%2Fdashboard");
    const hop = await fetch(`${server.url}${locationPath(page)}`, pageRequest(jar.header()));
    expect(hop.status).toBe(303);
    jar.store(hop);
    const again = await fetch(`${server.url}/dashboard`, pageRequest(jar.header()));
    expect(again.status).toBe(200);
    const api = await fetch(`${server.url}/api/me`, { headers: { cookie: jar.header() } });
    expect(api.status).toBe(200);
  });

  it.skipIf(browserMissing)("refreshes the cookie in the background while the dashboard is open", async () => {
    const server = await start({ AUTH_JWT_TTL: "65" }); // refresh fires 60 s before expiry: after ~5 s
    const browser = await launchBrowser();
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${server.url}/sign-up?next=/dashboard`);
      await page.getByLabel("Email", { exact: true }).fill(uniqueEmail("bg"));
      await page.getByLabel("Password", { exact: true }).fill("correct-horse-1");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForURL(`${server.url}/dashboard`);
      const cookie = async () => (await page.context().cookies()).find((c) => c.name === ACCESS_COOKIE)?.value;
      const first = await cookie();
      expect(first).toBeTruthy();
      await expect.poll(cookie, { timeout: 30_000, interval: 500 }).not.toBe(first);
      expect(page.url()).toBe(`${server.url}/dashboard`); // no navigation happened
    } finally {
      await browser.close();
    }
  });
});

describe("AUTH_JWKS: networkless cold start", () => {
  it("verifies with keys from the environment even when the app cannot serve its own JWKS", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "eg-jwks-"));
    dirs.push(dir);
    const port = await freePort();
    const secret = "a-fixed-secret-for-this-test-0123456789abcdef";
    const base = { BETTER_AUTH_SECRET: secret, PGLITE_DATA_DIR: path.join(dir, "db") };
    const first = await start(base, port);
    const { jar } = await signUp(first.url, { email: uniqueEmail("jwks"), password: "correct-horse-1", name: "Jw" });
    const jwks = await (await fetch(`${first.url}/api/auth/jwks`)).text();
    await first.stop();

    // Same origin and keys, but the database is unusable: /api/auth/jwks cannot answer.
    const broken = path.join(dir, "not-a-directory");
    writeFileSync(broken, "");
    const cookie = new CookieJar();
    cookie.cookies.set(ACCESS_COOKIE, jar.get(ACCESS_COOKIE) as string);

    const withEnvKeys = await start({ ...base, PGLITE_DATA_DIR: broken, AUTH_JWKS: jwks }, port);
    expect((await fetch(`${withEnvKeys.url}/dashboard`, pageRequest(cookie.header()))).status).toBe(200);
    expect((await fetch(`${withEnvKeys.url}/api/me`, { headers: { cookie: cookie.header() } })).status).toBe(200);
    await withEnvKeys.stop();

    // Without AUTH_JWKS the same request fails closed: 503 for the API, never the page.
    const withoutEnvKeys = await start({ ...base, PGLITE_DATA_DIR: broken }, port);
    const api = await fetch(`${withoutEnvKeys.url}/api/me`, { headers: { cookie: cookie.header() } });
    expect(api.status).toBe(503);
    expect(await api.json()).toMatchObject({ reason: "jwks_unavailable" });
    const page = await fetch(`${withoutEnvKeys.url}/dashboard`, pageRequest(cookie.header()));
    expect(page.status).toBe(503);
    expect(await page.text()).toContain("Temporarily unavailable");
  });
});
