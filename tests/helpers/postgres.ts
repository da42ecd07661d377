/**
 * A throwaway PostgreSQL server for tests: `initdb` + `pg_ctl` from the folder
 * `pg_config --bindir` prints, run as the `postgres` user when we are root
 * (Postgres refuses to run as root), in a temp dir, on a free 127.0.0.1 port.
 * `TEST_DATABASE_URL` points the tests at an existing server instead (a fresh
 * database is created on it when allowed); such a server cannot be stopped.
 *
 * Without any Postgres the suites that need one skip with a notice, unless
 * `REQUIRE_POSTGRES=1` (CI), where a missing Postgres fails the run.
 */
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { chown, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { createDb } from "@/lib/db";
import { freePort } from "./ports";

const run = promisify(execFile);

/** A Postgres server for one test file. */
export interface PostgresServer {
  /** `postgres://…` of a database of its own. */
  readonly url: string;
  /** True for `TEST_DATABASE_URL`: someone else's server, so `stop()`/`start()` are refused. */
  readonly external: boolean;
  /** Shuts the server down (`fast`: sessions are told and closed, as in a restart; `immediate`: as in a crash). */
  stop(options?: { mode?: "fast" | "immediate" }): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops the server and deletes its files (for `TEST_DATABASE_URL`, drops the database it created). */
  remove(): Promise<void>;
}

/** Whether Postgres tests can run here, and how. */
export type PostgresSupport =
  | { readonly kind: "external"; readonly url: string }
  | { readonly kind: "local"; readonly bindir: string }
  | { readonly kind: "missing"; readonly reason: string };

function binaryDir(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** What a suite needs from Postgres. */
export interface PostgresNeeds {
  /** The suite stops and starts the server: only a local cluster will do, never `TEST_DATABASE_URL`. Default false. */
  needsControl?: boolean;
}

/**
 * Finds a Postgres: `TEST_DATABASE_URL` (unless `needsControl`), else
 * `initdb`/`pg_ctl` in `pg_config --bindir` (or beside `initdb` on `PATH`).
 */
export function postgresSupport({ needsControl = false }: PostgresNeeds = {}): PostgresSupport {
  const external = process.env.TEST_DATABASE_URL;
  if (external && !needsControl) return { kind: "external", url: external };
  const candidates = [
    binaryDir("pg_config", ["--bindir"]),
    binaryDir("sh", ["-c", "command -v initdb"])?.replace(/\/initdb$/, ""),
  ].filter((dir): dir is string => Boolean(dir));
  const bindir = candidates.find((dir) => existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl")));
  if (bindir) return { kind: "local", bindir };
  const reason = external
    ? "this suite stops and starts Postgres, which needs initdb/pg_ctl (TEST_DATABASE_URL is not ours to stop)"
    : "no initdb/pg_ctl (apt-get install postgresql) and TEST_DATABASE_URL unset";
  return { kind: "missing", reason };
}

/** True when a Postgres suite must be skipped, after printing why; throws instead when `REQUIRE_POSTGRES=1`. */
export function skipWithoutPostgres(suite: string, needs: PostgresNeeds = {}): boolean {
  const support = postgresSupport(needs);
  if (support.kind !== "missing") return false;
  if (process.env.REQUIRE_POSTGRES === "1")
    throw new Error(`[tests] ${suite}: PostgreSQL is required (REQUIRE_POSTGRES=1) but ${support.reason}`);
  console.warn(`[tests] SKIPPING ${suite}: no PostgreSQL (${support.reason})`);
  return true;
}

const asRoot = process.getuid?.() === 0;

/** The command line for a Postgres binary: through `runuser -u postgres` when we are root. */
function command(bindir: string, tool: string, args: string[]): [string, string[]] {
  const binary = path.join(bindir, tool);
  return asRoot ? ["runuser", ["-u", "postgres", "--", binary, ...args]] : [binary, args];
}

async function initCluster(bindir: string, dir: string): Promise<string> {
  const password = randomBytes(12).toString("hex");
  const pwfile = path.join(dir, "pwfile");
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
    await chown(dir, id("-u"), id("-g"));
    await chown(pwfile, id("-u"), id("-g"));
  }
  const args = ["-D", path.join(dir, "data"), "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwfile}`];
  await run(...command(bindir, "initdb", [...args, "-E", "UTF8", "--locale=C", "--no-sync"]));
  return password;
}

async function startLocal(bindir: string): Promise<PostgresServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "eg-pg-"));
  const data = path.join(dir, "data");
  let running = false;
  const forget = () => {
    process.off("exit", onExit);
    rmSync(dir, { recursive: true, force: true });
  };
  const onExit = () => {
    if (running)
      execFileSync(...command(bindir, "pg_ctl", ["-D", data, "-m", "immediate", "stop"]), { stdio: "ignore" });
    forget();
  };
  process.on("exit", onExit); // a test file that dies early still leaves no server or folder behind

  const port = await freePort();
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const ctl = (args: string[]) => run(...command(bindir, "pg_ctl", ["-D", data, "-w", "-t", "60", ...args]));
  const start = async () => {
    await ctl(["-l", path.join(dir, "log"), "-o", settings, "start"]);
    running = true;
  };
  const stop = async ({ mode = "fast" }: { mode?: "fast" | "immediate" } = {}) => {
    await ctl(["-m", mode, "stop"]);
    running = false;
  };
  try {
    const password = await initCluster(bindir, dir);
    await start();
    return {
      url: `postgres://postgres:${password}@localhost:${port}/postgres`,
      external: false,
      stop,
      start,
      remove: async () => {
        if (running) await stop({ mode: "immediate" });
        forget();
      },
    };
  } catch (error) {
    onExit();
    throw error;
  }
}

async function onServer(url: string, statement: string): Promise<void> {
  const admin = createDb({ databaseUrl: url, maxConnections: 1 });
  try {
    await sql.raw(statement).execute(admin.db);
  } finally {
    await admin.close();
  }
}

async function openExternal(url: string): Promise<PostgresServer> {
  const name = `eg_test_${randomBytes(6).toString("hex")}`;
  let created = false;
  try {
    await onServer(url, `create database ${name}`);
    created = true;
  } catch (error) {
    console.warn(
      `[tests] could not create a database on TEST_DATABASE_URL (${(error as Error).message}): using it as is`,
    );
  }
  const own = new URL(url);
  if (created) own.pathname = `/${name}`;
  const refuse = () =>
    Promise.reject(new Error("TEST_DATABASE_URL is an external server: it cannot be stopped or started"));
  return {
    url: own.toString(),
    external: true,
    stop: refuse,
    start: refuse,
    remove: async () => {
      if (created) await onServer(url, `drop database if exists ${name} with (force)`);
    },
  };
}

/**
 * Starts a throwaway cluster (or opens a fresh database on `TEST_DATABASE_URL`).
 * Call `remove()` in `afterAll`.
 *
 * @example
 * const server = await startPostgres();
 * process.env.DATABASE_URL = server.url;
 * // …
 * await server.remove();
 */
export async function startPostgres(needs: PostgresNeeds = {}): Promise<PostgresServer> {
  const support = postgresSupport(needs);
  if (support.kind === "external") return openExternal(support.url);
  if (support.kind === "local") return startLocal(support.bindir);
  throw new Error(`[tests] no PostgreSQL: ${support.reason}`);
}
