/**
 * The contract: a production start (`next start`, `NODE_ENV=production`) with
 * a bad configuration exits non-zero within 30 s, printing one line that names
 * the variable and the fix, before serving anything. One table of cases
 * (`tests/helpers/bad-config.ts`), shared with the unit test.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BAD_CONFIGS, validProductionEnv, withOverrides } from "../helpers/bad-config";
import { ROOT } from "../helpers/next-server";
import { freePort } from "../helpers/ports";

/** Generous: the contract's bound, checked by a kill after it rather than a stopwatch. */
const CONTRACT_MS = 30_000;

async function startWith(overrides: Record<string, string | undefined>) {
  const port = await freePort();
  const env = withOverrides(
    { ...process.env, ...validProductionEnv(port), PORT: String(port), NEXT_TELEMETRY_DISABLED: "1" },
    overrides,
  );
  const child = spawn(
    process.execPath,
    [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port)],
    { cwd: ROOT, env: env as NodeJS.ProcessEnv, detached: true },
  );
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  let killed = false;
  const killer = setTimeout(() => {
    killed = true;
    if (child.pid) process.kill(-child.pid, "SIGKILL");
  }, CONTRACT_MS);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(killer);
  return { code, killed, output };
}

describe("production start-up with a bad configuration", () => {
  it.each(BAD_CONFIGS.map((c) => [c.name, c] as const))(
    "stops on %s with one line naming the variable and the fix",
    async (_name, bad) => {
      const { code, killed, output } = await startWith(bad.env);
      expect(killed, `still running after ${CONTRACT_MS / 1000} s:\n${output}`).toBe(false);
      expect(code).toBe(1);
      const lines = output.split("\n").filter((l) => l.includes("[edge-guard]"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`[edge-guard] ${bad.variable}`);
      expect(lines[0]).toContain(bad.fix);
      expect(output).not.toMatch(/\n\s+at /); // no stack trace
    },
    CONTRACT_MS + 30_000,
  );
});
