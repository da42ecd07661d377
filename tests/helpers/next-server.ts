/**
 * Starts `next start` (after the global `next build`) on a free port, in its
 * own process group so stopping it also stops the forked `next-server`.
 */

import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { freePort } from "./ports";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export interface NextServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Everything the server printed so far (for assertions on logs). */
  output(): string;
  stop(): Promise<void>;
}

export interface StartNextOptions {
  /** Extra environment (merged over a production default with a random strong secret and in-memory PGlite). */
  env?: Record<string, string | undefined>;
  /** App folder (a copy of the app with its own `.next`). Default: the repository root. */
  cwd?: string;
  /** Port; default a free one. */
  port?: number;
}

async function waitForHttp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${log()}`);
    try {
      await fetch(url, { redirect: "manual" });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`next start did not answer within 60 s:\n${log()}`);
}

/** Starts the built app. The caller must `stop()` it (use `afterAll`). */
export async function startNext(options: StartNextOptions = {}): Promise<NextServer> {
  const port = options.port ?? (await freePort());
  const cwd = options.cwd ?? ROOT;
  let log = "";
  const child = spawn(
    process.execPath,
    [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port)],
    {
      cwd,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(port),
        BETTER_AUTH_SECRET: randomBytes(32).toString("base64url"),
        PGLITE_DATA_DIR: "memory://",
        ...options.env,
      },
    },
  );
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/`, child, () => log);
  return {
    url,
    port,
    output: () => log,
    stop: async () => {
      const pid = child.pid;
      if (child.exitCode !== null || child.signalCode !== null || pid === undefined) return; // exited, or killed by a signal
      const exited = new Promise((r) => child.once("exit", r));
      try {
        process.kill(-pid, "SIGTERM");
      } catch {}
      const timeout = setTimeout(() => {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {}
      }, 5_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
