/**
 * Starts the example external backend (`lib/examples/backend.ts`, as
 * `npm run backend:example` does) on a free port, in its own process group.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { ROOT } from "./next-server";
import { freePort } from "./ports";

export interface ExampleBackend {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts the backend with `env` (e.g. `BETTER_AUTH_URL`, `AUTH_JWKS`, `BACKEND_DEBUG`); resolves once `/healthz` answers. */
export async function startExampleBackend(env: Record<string, string>): Promise<ExampleBackend> {
  const port = await freePort();
  let log = "";
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "lib/examples/backend.ts"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env, BACKEND_PORT: String(port) },
  });
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    await exited;
  };
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`example backend exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, output: () => log, stop };
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`example backend did not answer on ${url}:\n${log}`);
}
