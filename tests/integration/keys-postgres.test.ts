/**
 * The key lifecycle on PostgreSQL 15 through the Neon driver, and
 * `keys:rotate` as a child process against the same server while this
 * process keeps issuing tokens from it.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authCaller } from "../helpers/auth-handler";
import { uniqueEmail } from "../helpers/http";
import { ROOT } from "../helpers/next-server";
import type { PostgresServer } from "../helpers/postgres";
import { skipWithoutPostgres, startPostgres } from "../helpers/postgres";
import type { AuthApp } from "./auth-flows";
import { loadAuthApp } from "./auth-flows";
import { describeKeyLifecycle } from "./key-lifecycle";

const run = promisify(execFile);
const skip = skipWithoutPostgres("key lifecycle on PostgreSQL 15");
let server: PostgresServer | undefined;
let app: AuthApp;

describe.skipIf(skip)("keys on PostgreSQL 15", () => {
  beforeAll(async () => {
    server = await startPostgres();
    process.env.DATABASE_URL = server.url;
    app = await loadAuthApp();
    const { getDb } = await import("@/lib/db");
    expect(getDb().kind).toBe("postgres");
  });
  afterAll(async () => {
    const { getDb } = await import("@/lib/db");
    await getDb().close();
    await server?.remove();
  });

  describeKeyLifecycle("key lifecycle", () => app);

  it("keys:rotate run beside a live app: its next token carries the kid the command printed", async () => {
    const user = authCaller(app.handler);
    const body = { email: uniqueEmail("cli"), password: "correct-horse-1", name: "Cli" };
    expect((await user.call("/sign-up/email", { body })).status).toBe(200);
    const kid = async () =>
      decodeProtectedHeader(((await (await user.call("/token")).json()) as { token: string }).token).kid;
    const before = await kid();
    const { stdout } = await run(
      path.join(ROOT, "node_modules/.bin/tsx"),
      [path.join(ROOT, "lib/cli/keys-rotate.ts")],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          NODE_ENV: "test", // the same (test) secret as this process: it encrypts the new private key
          DATABASE_URL: server?.url,
        },
        timeout: 120_000,
      },
    );
    const printed = /key (\S+) signs from now/.exec(stdout)?.[1];
    expect(stdout).toContain(`retired ${before}`);
    expect(await kid()).toBe(printed);
  }, 180_000);
});
