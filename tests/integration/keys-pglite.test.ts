/**
 * The key lifecycle on embedded PGlite: in-process on an in-memory database,
 * then the three `keys:*` commands as child processes on a PGlite folder.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/next-server";
import type { AuthApp } from "./auth-flows";
import { loadAuthApp } from "./auth-flows";
import { describeKeyLifecycle } from "./key-lifecycle";

const run = promisify(execFile);
let app: AuthApp;

beforeAll(async () => {
  delete process.env.DATABASE_URL;
  app = await loadAuthApp();
});

describeKeyLifecycle("key lifecycle on PGlite", () => app);

describe("keys:* commands on a PGlite folder", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "eg-keys-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = {
    ...process.env,
    NODE_ENV: "development" as const,
    DATABASE_URL: "",
    PGLITE_DATA_DIR: path.join(dir, "db"),
    BETTER_AUTH_SECRET: "a-fixed-secret-for-the-keys-cli-0123456789abcdef",
  };
  const cli = (name: string, ...args: string[]) =>
    run(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, `lib/cli/${name}.ts`), ...args], {
      cwd: ROOT,
      env,
      timeout: 120_000,
    });

  it("rotates, publishes, activates, exports and prunes, each in a line or two", async () => {
    const rotated = await cli("keys-rotate");
    expect(rotated.stdout).toMatch(/^Rotated on PGlite \(.*\): key \S+ signs from now\n$/);
    const published = await cli("keys-rotate", "--publish-only");
    expect(published.stdout.trim().split("\n")).toHaveLength(2);
    const pending = /Published key (\S+)/.exec(published.stdout)?.[1];
    const exported = await cli("keys-export");
    const jwks = JSON.parse(exported.stdout) as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(pending);
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    expect(exported.stderr).toContain(`${pending} pending`);
    const activated = await cli("keys-rotate", "--activate");
    expect(activated.stdout).toContain(`key ${pending} signs from now; retired`);
    const pruned = await cli("keys-prune");
    expect(pruned.stdout).toMatch(/^Nothing to prune on PGlite .*; 2 served\n$/);
  }, 240_000);

  it("fails in one line with exit status 1 when there is nothing to activate", async () => {
    const failure = await cli("keys-rotate", "--activate").catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(/keys:rotate failed on PGlite .*: no published key/);
  }, 120_000);
});
