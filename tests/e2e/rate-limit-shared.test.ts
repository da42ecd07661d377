/**
 * Rate limits shared by every instance: two `next start` processes on one
 * PostgreSQL 15 (`DATABASE_URL`) count against the same limits, per client
 * address (Better Auth's limiter, `rateLimit` table) and per account (the
 * kit's plugin, `accountRateLimit` table). A third instance on the same
 * database trusts no address header, so `X-Forwarded-For` changes nothing.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db";
import { createDb } from "@/lib/db";
import { signUp, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { ROOT, startNext } from "../helpers/next-server";
import { freePort } from "../helpers/ports";
import type { PostgresServer } from "../helpers/postgres";
import { skipWithoutPostgres, startPostgres } from "../helpers/postgres";

const run = promisify(execFile);
const skip = skipWithoutPostgres("shared rate-limit tests");
const PASSWORD = "correct-horse-1";

interface Attempt {
  email: string;
  password?: string;
  /** The address the trusted header (`x-real-ip`) names; omitted: none sent. */
  ip?: string;
  /** A client-chosen `X-Forwarded-For`. */
  forwardedFor?: string;
}

function post(server: NextServer, route: string, body: unknown, attempt: Omit<Attempt, "email">): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json", origin: server.url };
  if (attempt.ip) headers["x-real-ip"] = attempt.ip;
  if (attempt.forwardedFor) headers["x-forwarded-for"] = attempt.forwardedFor;
  return fetch(`${server.url}/api/auth${route}`, { method: "POST", headers, body: JSON.stringify(body) });
}

function signIn(server: NextServer, attempt: Attempt): Promise<Response> {
  return post(
    server,
    "/sign-in/email",
    { email: attempt.email, password: attempt.password ?? "wrong-password-1" },
    attempt,
  );
}

async function expectTooMany(response: Response, scope: "address" | "account"): Promise<void> {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(0);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ code: "TOO_MANY_REQUESTS", scope, retryAfter });
  expect(body.message).toMatch(/^Too many requests .+ Try again in \d+ (second|minute)s?\.$/);
}

describe.skipIf(skip)("rate limits shared by two next start instances on one PostgreSQL 15", () => {
  let pg: PostgresServer;
  let db: DbHandle;
  let a: NextServer;
  let b: NextServer;
  let untrusted: NextServer;
  let migrated = "";
  const users = { locked: uniqueEmail("locked"), reset: uniqueEmail("reset"), session: uniqueEmail("sess") };
  let net = 0;
  /** A fresh documentation-range address per call, so only the limit under test can trip. */
  const ip = () => `198.51.100.${++net}`;

  beforeAll(async () => {
    pg = await startPostgres();
    const { stdout } = await run(path.join(ROOT, "node_modules/.bin/tsx"), ["lib/cli/migrate.ts"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: pg.url },
    });
    migrated = stdout;
    db = createDb({ databaseUrl: pg.url });
    // One secret for all: they share the `jwks` table, whose private keys it encrypts.
    const shared = { DATABASE_URL: pg.url, BETTER_AUTH_SECRET: randomBytes(32).toString("base64url") };
    const start = async (env: Record<string, string | undefined>) => {
      const port = await freePort();
      return startNext({ port, env: { ...shared, BETTER_AUTH_URL: `http://127.0.0.1:${port}`, ...env } });
    };
    a = await start({ AUTH_TRUSTED_IP_HEADER: "x-real-ip" });
    b = await start({ AUTH_TRUSTED_IP_HEADER: "X-Real-IP" });
    // Vitest's TEST=true would make Better Auth fall back to 127.0.0.1 for an unknown address: run as deployed.
    untrusted = await start({ TEST: undefined, VITEST: undefined });
    for (const email of Object.values(users)) {
      const { response } = await signUp(a.url, { email, password: PASSWORD, name: "Limited" });
      expect(response.status).toBe(200);
    }
  });
  afterAll(async () => {
    await untrusted?.stop();
    await b?.stop();
    await a?.stop();
    await db?.close();
    await pg?.remove();
  });

  it("creates the counters' tables with npm run db:migrate", () => {
    expect(migrated).toMatch(/\brateLimit\b/);
    expect(migrated).toMatch(/\baccountRateLimit\b/);
  });

  it("counts one address's sign-in attempts on both instances against one limit", async () => {
    const from = ip();
    const servers = [a, b, a];
    for (const server of servers) {
      // A client-chosen X-Forwarded-For changes nothing: only x-real-ip is trusted here.
      const response = await signIn(server, { email: uniqueEmail("nobody"), ip: from, forwardedFor: ip() });
      expect(response.status).toBe(401);
    }
    await expectTooMany(await signIn(b, { email: uniqueEmail("nobody"), ip: from }), "address");
    await expectTooMany(await signIn(a, { email: uniqueEmail("nobody"), ip: from }), "address");
    // Another address is not affected.
    expect((await signIn(b, { email: uniqueEmail("nobody"), ip: ip() })).status).toBe(401);
  });

  it("refuses an account after five wrong passwords from five addresses over both instances, even the right one", async () => {
    for (let i = 0; i < 5; i++) {
      expect((await signIn(i % 2 ? b : a, { email: users.locked, ip: ip() })).status).toBe(401);
    }
    await expectTooMany(await signIn(a, { email: users.locked, password: PASSWORD, ip: ip() }), "account");
    await expectTooMany(await signIn(b, { email: users.locked.toUpperCase(), ip: ip() }), "account");
    // Another account, same moment: untouched.
    expect((await signIn(b, { email: users.session, password: PASSWORD, ip: ip() })).status).toBe(200);
  });

  it("limits unknown emails the same way (no account enumeration)", async () => {
    const email = uniqueEmail("ghost");
    for (let i = 0; i < 5; i++) expect((await signIn(i % 2 ? a : b, { email, ip: ip() })).status).toBe(401);
    await expectTooMany(await signIn(a, { email, ip: ip() }), "account");
  });

  it("forgets an account's failures after a successful sign-in", async () => {
    for (let i = 0; i < 4; i++) expect((await signIn(b, { email: users.reset, ip: ip() })).status).toBe(401);
    expect((await signIn(a, { email: users.reset, password: PASSWORD, ip: ip() })).status).toBe(200);
    for (let i = 0; i < 5; i++)
      expect((await signIn(i % 2 ? a : b, { email: users.reset, ip: ip() })).status).toBe(401);
    await expectTooMany(await signIn(a, { email: users.reset, ip: ip() }), "account");
  });

  it.each([
    ["/request-password-reset", (email: string) => ({ email, redirectTo: "/reset-password" })],
    ["/send-verification-email", (email: string) => ({ email })],
  ])("limits %s per email over both instances", async (route, body) => {
    const email = uniqueEmail("mail");
    for (let i = 0; i < 5; i++) {
      const response = await post(i % 2 ? b : a, route, body(email), { ip: ip() });
      expect(response.status).not.toBe(429);
      expect(response.status).toBeLessThan(500);
    }
    await expectTooMany(await post(b, route, body(email.toUpperCase()), { ip: ip() }), "account");
  });

  it("records on the session the address the limiter counts", async () => {
    const from = ip();
    const response = await signIn(b, {
      email: users.session,
      password: PASSWORD,
      ip: from,
      forwardedFor: "203.0.113.9",
    });
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    const { rows } = await sql<{
      ipAddress: string;
    }>`select "ipAddress" from "session" where "token" = ${token}`.execute(db.db);
    expect(rows[0]?.ipAddress).toBe(from);
  });

  it("without AUTH_TRUSTED_IP_HEADER counts every request in one bucket, whatever X-Forwarded-For says", async () => {
    const ok = await post(
      untrusted,
      "/sign-in/email",
      { email: users.session, password: PASSWORD },
      { forwardedFor: ip() },
    );
    expect(ok.status).toBe(200);
    const { token } = (await ok.json()) as { token: string };
    const { rows } = await sql<{
      ipAddress: string;
    }>`select "ipAddress" from "session" where "token" = ${token}`.execute(db.db);
    expect(rows[0]?.ipAddress).toBe(""); // unknown, as the limiter sees it; never the client's claim
    for (let i = 0; i < 2; i++) {
      const response = await signIn(untrusted, { email: uniqueEmail("nobody"), forwardedFor: ip(), ip: ip() });
      expect(response.status).toBe(401);
    }
    await expectTooMany(
      await signIn(untrusted, { email: uniqueEmail("nobody"), forwardedFor: ip(), ip: ip() }),
      "address",
    );
  });
});
