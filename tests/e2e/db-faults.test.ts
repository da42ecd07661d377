/**
 * Database faults against `next build && next start` on a real PostgreSQL 15
 * (reached through the Neon driver and the kit's loopback bridge): the server
 * is stopped mid-test and started again, the app never is.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import { CookieJar, locationPath, pageRequest, signUp, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { ROOT, startNext } from "../helpers/next-server";
import { freePort } from "../helpers/ports";
import type { PostgresServer } from "../helpers/postgres";
import { skipWithoutPostgres, startPostgres } from "../helpers/postgres";

const run = promisify(execFile);
const skip = skipWithoutPostgres("database fault tests", { needsControl: true });
const PASSWORD = "correct-horse-1";
const STACK_TRACE = /\bat .+:\d+:\d+|node_modules|Error:/;

/** `npm run db:migrate` against `url`: what it printed. */
async function migrateCli(url: string): Promise<string> {
  const { stdout } = await run(path.join(ROOT, "node_modules/.bin/tsx"), ["lib/cli/migrate.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
  });
  return stdout.trim();
}

function post(server: NextServer, route: string, body: unknown, cookie?: string): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json", origin: server.url };
  if (cookie) headers.cookie = cookie;
  return fetch(`${server.url}${route}`, { method: "POST", headers, body: JSON.stringify(body) });
}

describe.skipIf(skip)("database faults (PostgreSQL 15 stopped and started under next start)", () => {
  let pg: PostgresServer;
  let app: NextServer;
  let coldStarted: NextServer | undefined;
  let jar: CookieJar;
  const otherDevice = new CookieJar();
  let jwks: string;
  let migrations: string[] = [];
  const email = uniqueEmail("fault");
  const failedEmail = uniqueEmail("fault-signup");
  const session = () =>
    [...jar.cookies].filter(([n]) => n.includes("session_token")).map(([n, v]) => `${n}=${v}`)[0] ?? "";
  const access = () => `${ACCESS_COOKIE}=${jar.get(ACCESS_COOKIE)}`;

  beforeAll(async () => {
    pg = await startPostgres({ needsControl: true });
    migrations = [await migrateCli(pg.url), await migrateCli(pg.url)];
    const port = await freePort();
    app = await startNext({ port, env: { DATABASE_URL: pg.url, BETTER_AUTH_URL: `http://127.0.0.1:${port}` } });
    ({ jar } = await signUp(app.url, { email, password: PASSWORD, name: "Fault User" }));
    otherDevice.store(await post(app, "/api/auth/sign-in/email", { email, password: PASSWORD }));
    jwks = await (await fetch(`${app.url}/api/auth/jwks`)).text();
    // A running app has verified a token before: its edge holds the JWKS (a cold one uses AUTH_JWKS, below).
    expect((await fetch(`${app.url}/dashboard`, pageRequest(access()))).status).toBe(200);
  });
  afterAll(async () => {
    await coldStarted?.stop();
    await app?.stop();
    await pg?.remove();
  });

  it("migrates an empty database with npm run db:migrate, and a second run changes nothing", () => {
    expect(migrations[0]).toMatch(/^Migrated localhost:\d+: .*\buser\b.*\bsession\b/);
    expect(migrations[0]).toMatch(/\bjwks\b/);
    expect(migrations[1]).toMatch(/^Nothing to migrate on localhost:\d+: schema is up to date$/);
  });

  describe("while the database is down", () => {
    beforeAll(() => pg.stop());

    it("keeps serving /dashboard and /api/me to a holder of a valid access JWT", async () => {
      const page = await fetch(`${app.url}/dashboard`, pageRequest(access()));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(email);
      const me = await fetch(`${app.url}/api/me`, { headers: { cookie: access() } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ email });
    });

    it("still serves the public JWKS it served before, so cold verifiers keep working", async () => {
      const response = await fetch(`${app.url}/api/auth/jwks`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(JSON.parse(jwks));
    });

    it("serves them from a server started during the outage, with AUTH_JWKS set", async () => {
      coldStarted = await startNext({
        env: { DATABASE_URL: pg.url, BETTER_AUTH_URL: new URL(app.url).origin, AUTH_JWKS: jwks },
      });
      const page = await fetch(`${coldStarted.url}/dashboard`, pageRequest(access()));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(email);
      const me = await fetch(`${coldStarted.url}/api/me`, { headers: { cookie: access() } });
      expect(me.status).toBe(200);
    });

    it("answers sign-in, sign-up and GET /api/auth/token with 503 JSON, Retry-After and no stack trace", async () => {
      for (const response of [
        await post(app, "/api/auth/sign-in/email", { email, password: PASSWORD }),
        await post(app, "/api/auth/sign-up/email", { email: failedEmail, password: PASSWORD, name: "Lost" }),
        await fetch(`${app.url}/api/auth/token`, { headers: { cookie: session() } }),
      ]) {
        expect(response.status).toBe(503);
        expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
        expect(response.headers.get("cache-control")).toBe("private, no-store");
        const text = await response.text();
        expect(text).not.toMatch(STACK_TRACE);
        expect(JSON.parse(text)).toMatchObject({ error: "database_unavailable", message: expect.any(String) });
      }
    });

    it("answers the refresh hop with a 503 HTML page and signs nobody out", async () => {
      const response = await fetch(`${app.url}/api/auth/refresh?next=/dashboard`, pageRequest(session()));
      expect(response.status).toBe(503);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).toContain("temporarily unavailable");
      expect(html).not.toMatch(STACK_TRACE);
      expect(response.headers.getSetCookie()).toEqual([]);
    });

    it("still signs a device out: its cookies are cleared even though the session row cannot be deleted", async () => {
      expect(otherDevice.get(ACCESS_COOKIE)).toBeTruthy();
      const response = await post(app, "/api/auth/sign-out", {}, otherDevice.header());
      expect(response.status).toBe(200);
      otherDevice.store(response);
      expect(otherDevice.cookies.size).toBe(0);
    });

    it("answers POST /api/auth/refresh with 503 JSON", async () => {
      const response = await post(app, "/api/auth/refresh", {}, session());
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await response.json()).toMatchObject({ error: "auth_unavailable" });
      expect(response.headers.getSetCookie()).toEqual([]);
    });
  });

  describe("once the database is back (same app process)", () => {
    beforeAll(() => pg.start());

    it("left nothing half-written: no user and no account from the failed sign-up", async () => {
      const { db, close } = createDb({ databaseUrl: pg.url, maxConnections: 1 });
      try {
        expect(await db.selectFrom("user").select("id").where("email", "=", failedEmail).execute()).toEqual([]);
        const orphans = await db
          .selectFrom("account")
          .leftJoin("user", "user.id", "account.userId")
          .select("account.id")
          .where("user.id", "is", null)
          .execute();
        expect(orphans).toEqual([]);
      } finally {
        await close();
      }
    });

    it("refreshes through the hop again: 303 back with a fresh access cookie", async () => {
      const response = await fetch(`${app.url}/api/auth/refresh?next=/dashboard`, pageRequest(session()));
      expect(response.status).toBe(303);
      expect(locationPath(response)).toBe("/dashboard");
      jar.store(response);
      expect((await fetch(`${app.url}/dashboard`, pageRequest(access()))).status).toBe(200);
      expect((await post(app, "/api/auth/refresh", {}, session())).status).toBe(200);
    });

    it("signs in, and signs up the email whose sign-up failed during the outage", async () => {
      expect((await post(app, "/api/auth/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
      const { response } = await signUp(app.url, { email: failedEmail, password: PASSWORD, name: "Found" });
      expect(response.status).toBe(200);
    });
  });
});
