/**
 * Starts the non-Node example backends on free ports: the FastAPI app
 * (`lib/examples/fastapi/app.py`) under uvicorn, and the Worker
 * (`lib/examples/worker/`) under `wrangler dev --local` (workerd, offline).
 *
 * Python is the first interpreter in which `import fastapi, uvicorn, jwt,
 * cryptography` works: `$PYTHON`, then every `python3` on `PATH`, then
 * Debian's `/usr/bin/python3` (where `.ci/run` installs the modules; a
 * version manager's `python3` earlier on `PATH` may lack them). Without one,
 * or without wrangler, those backends are skipped with a notice, unless
 * `REQUIRE_BACKENDS=1` (CI), where that fails the run.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type { ChildServer } from "./child-server";
import { startChildServer } from "./child-server";
import { ROOT } from "./next-server";
import { freePort } from "./ports";

const PYTHON_MODULES = "import fastapi, uvicorn, jwt, cryptography";
const WRANGLER = path.join(ROOT, "node_modules/wrangler/bin/wrangler.js");

function pythonCandidates(): string[] {
  const onPath = (process.env.PATH ?? "").split(path.delimiter).map((dir) => path.join(dir, "python3"));
  return [process.env.PYTHON, ...onPath, "/usr/bin/python3"].filter((p): p is string => !!p && existsSync(p));
}

/** The Python that can run the FastAPI example, or `undefined`. */
export function findPython(): string | undefined {
  for (const candidate of new Set(pythonCandidates())) {
    try {
      execFileSync(candidate, ["-c", PYTHON_MODULES], { stdio: "ignore", timeout: 30_000 });
      return candidate;
    } catch {}
  }
  return undefined;
}

/** Skips (after a notice) or, with `REQUIRE_BACKENDS=1`, fails. */
function missing(name: string, reason: string): undefined {
  if (process.env.REQUIRE_BACKENDS === "1")
    throw new Error(`[tests] the ${name} backend is required (REQUIRE_BACKENDS=1) but ${reason}`);
  console.warn(`[tests] SKIPPING the ${name} backend: ${reason}`);
  return undefined;
}

/** The Python to run the FastAPI example with; `undefined` to skip it. */
export function pythonOrSkip(): string | undefined {
  return (
    findPython() ??
    missing(
      "FastAPI",
      `no python3 here can \`${PYTHON_MODULES}\` (apt-get install python3-fastapi python3-uvicorn python3-jwt python3-cryptography)`,
    )
  );
}

/** Whether the Worker example can run (wrangler installed); `false` to skip it. */
export function wranglerOrSkip(): boolean {
  return existsSync(WRANGLER) || (missing("Worker", "wrangler is not installed (npm install)") ?? false);
}

/** The app's origin (`BETTER_AUTH_URL`) and where the JWKS is (`APP_URL`). */
export interface BackendEnv {
  BETTER_AUTH_URL: string;
  APP_URL?: string;
}

/** `uvicorn app:app` in `lib/examples/fastapi`, as the README says, on a free port. */
export async function startFastApiBackend(python: string, env: BackendEnv): Promise<ChildServer> {
  const port = await freePort();
  const server = await startChildServer({
    name: "FastAPI backend",
    command: python,
    args: ["-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", String(port)],
    cwd: path.join(ROOT, "lib/examples/fastapi"),
    env: { ...env, BACKEND_PORT: String(port), PYTHONDONTWRITEBYTECODE: "1" },
    url: `http://127.0.0.1:${port}`,
  });
  console.log(`[tests] FastAPI backend started: ${python} -m uvicorn app:app on ${server.url}`);
  return server;
}

/** `wrangler dev --local` in `lib/examples/worker`, with the variables given as `--var`, on a free port. */
export async function startWorkerBackend(vars: BackendEnv): Promise<ChildServer> {
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const varArgs = Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
  const server = await startChildServer({
    name: "Worker backend",
    command: process.execPath,
    args: [
      WRANGLER,
      ...["dev", "--local", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort)],
      ...varArgs,
    ],
    cwd: path.join(ROOT, "lib/examples/worker"),
    env: { CI: "1", WRANGLER_SEND_METRICS: "false" },
    url: `http://127.0.0.1:${port}`,
    startTimeoutMs: 180_000,
  });
  console.log(`[tests] Worker backend started: wrangler dev --local (workerd) on ${server.url}`);
  return server;
}
