/**
 * Runs a server as a child process in its own process group (so stopping it
 * also stops what it forks: workerd under wrangler, uvicorn's workers) and
 * waits until its health URL answers.
 */
import { spawn } from "node:child_process";

/** A running child server. */
export interface ChildServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface ChildServerOptions {
  /** Shown in errors and notices, e.g. "FastAPI backend". */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  /** Merged over `process.env`. */
  env: Record<string, string>;
  /** Where it will listen. */
  url: string;
  /** Path that answers 2xx once it is up. Default `/healthz`. */
  healthPath?: string;
  /** How long start-up may take, in ms (generous: the machine is shared). Default 120000. */
  startTimeoutMs?: number;
}

/** Starts the server; resolves once `healthPath` answers 2xx, rejects (with its output) if it exits or never answers. */
export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const { name, command, args, cwd, env, url, healthPath = "/healthz", startTimeoutMs = 120_000 } = options;
  let log = "";
  const child = spawn(command, args, {
    cwd,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const pid = child.pid;
    try {
      process.kill(-pid, "SIGTERM");
    } catch {}
    const force = setTimeout(() => {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {}
    }, 5_000);
    await exited;
    clearTimeout(force);
  };
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${url}${healthPath}`, { signal: AbortSignal.timeout(5_000) })).ok) {
        return { url, output: () => log, stop };
      }
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`${name} did not answer on ${url} within ${startTimeoutMs / 1000} s:\n${log}`);
}
