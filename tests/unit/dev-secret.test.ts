/**
 * Development needs no `.env`: a strong secret is generated once, kept in the
 * git-ignored `.data/` folder (so sessions survive restarts), announced once.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const cwd = mkdtempSync(path.join(tmpdir(), "eg-dev-secret-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function startDevConfig(): { stdout: string } {
  const script = `import(${JSON.stringify(path.join(root, "lib/config/index.ts"))}).then((m) => console.log("secret=" + m.serverConfig().secret))`;
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "development" };
  delete env.BETTER_AUTH_SECRET;
  const stdout = execFileSync(path.join(root, "node_modules/.bin/tsx"), ["-e", script], { cwd, env, encoding: "utf8" });
  return { stdout };
}

describe("development secret", () => {
  it("is generated once, persisted with owner-only permissions, and announced only when created", () => {
    const first = startDevConfig().stdout;
    expect(first).toContain("generated a development secret in .data/dev-secret");
    const secret = /secret=(\S+)/.exec(first)?.[1] ?? "";
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const file = path.join(cwd, ".data/dev-secret");
    expect(readFileSync(file, "utf8").trim()).toBe(secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = startDevConfig().stdout;
    expect(second).not.toContain("generated");
    expect(second).toContain(`secret=${secret}`);
  });

  it("is ignored by git", () => {
    const ignored = execFileSync("git", ["check-ignore", ".data/dev-secret", ".data/pglite/PG_VERSION"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(ignored.trim().split("\n")).toHaveLength(2);
  });
});
