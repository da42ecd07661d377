/**
 * A production start refuses a missing or weak secret with one actionable
 * line, before serving anything.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/next-server";
import { freePort } from "../helpers/ports";

async function startWith(secret: string | undefined): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  delete env.BETTER_AUTH_SECRET;
  if (secret !== undefined) env.BETTER_AUTH_SECRET = secret;
  const child = spawn(
    process.execPath,
    [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port)],
    {
      cwd: ROOT,
      env,
      detached: true,
    },
  );
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const killer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(killer);
  return { code, output };
}

describe("production start-up", () => {
  const cases: Array<[string, string | undefined, string]> = [
    ["missing", undefined, "BETTER_AUTH_SECRET is missing"],
    ["too short", "short-secret", "BETTER_AUTH_SECRET is too weak"],
    ["a placeholder", "change-me", "BETTER_AUTH_SECRET is too weak"],
  ];
  it.each(cases)("stops with one line naming BETTER_AUTH_SECRET when it is %s", async (_name, secret, message) => {
    const { code, output } = await startWith(secret);
    expect(code).toBe(1);
    const lines = output.split("\n").filter((l) => l.includes("[edge-guard]"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(message);
    expect(lines[0]).toContain("openssl rand -base64 32");
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
  });
});
