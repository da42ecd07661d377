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

/** Finds a Postgres: `TEST_DATABASE_URL`, else `initdb`/`pg_ctl` in `pg_config --bindir`. */
export function postgresSupport(): PostgresSupport {
  const external = process.env.TEST_DATABASE_URL;
  if (external) return { kind: "external", url: external };
  try {
    const bindir = execFileSync("pg_config", ["--bindir"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    if (existsSync(path.join(bindir, "initdb")) && existsSync(path.join(bindir, "pg_ctl")))
      return { kind: "local", bindir };
    return { kind: "missing", reason: `no initdb/pg_ctl in ${bindir}` };
  } catch {
    return { kind: "missing", reason: "pg_config not found (apt-get install postgresql) and TEST_DATABASE_URL unset" };
  }
}

/**
 * True when a Postgres suite must be skipped; prints why. Throws instead when
 * `REQUIRE_POSTGRES=1`. `needsControl`: the suite stops and starts the server,
 * which only a local cluster allows.
 */
export function skipWithoutPostgres(suite: string, options: { needsControl?: boolean } = {}): boolean {
  const support = postgresSupport();
  const reason =
    support.kind === "missing"
      ? support.reason
      : support.kind === "external" && options.needsControl
        ? "TEST_DATABASE_URL is someone else's server: this suite stops and starts Postgres, so it needs initdb/pg_ctl"
        : undefined;
  if (!reason) return false;
  if (process.env.REQUIRE_POSTGRES === "1")
    throw new Error(`[tests] ${suite}: PostgreSQL is required (REQUIRE_POSTGRES=1) but ${reason}`);
  console.warn(`[tests] SKIPPING ${suite}: no PostgreSQL (${reason})`);
  return true;
}

const asRoot = process.getuid?.() === 0;

/** Runs a Postgres binary, as the `postgres` user when we are root. */
function pg(bindir: string, tool: string, args: string[]): Promise<{ stdout: string }> {
  const binary = path.join(bindir, tool);
  return asRoot ? run("runuser", ["-u", "postgres", "--", binary, ...args]) : run(binary, args);
}

async function startLocal(bindir: string): Promise<PostgresServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "eg-pg-"));
  const data = path.join(dir, "data");
  const password = randomBytes(12).toString("hex");
  await writeFile(path.join(dir, "pwfile"), `${password}\n`, { mode: 0o600 });
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
    await chown(dir, id("-u"), id("-g"));
    await chown(path.join(dir, "pwfile"), id("-u"), id("-g"));
  }
  await pg(bindir, "initdb", [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=scram-sha-256",
    `--pwfile=${path.join(dir, "pwfile")}`,
    "-E",
    "UTF8",
    "--locale=C",
    "--no-sync",
  ]);
  const port = await freePort();
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  let running = false;
  const ctl = (args: string[]) => pg(bindir, "pg_ctl", ["-D", data, "-w", "-t", "60", ...args]);
  const start = async () => {
    await ctl(["-l", path.join(dir, "log"), "-o", settings, "start"]);
    running = true;
  };
  const stop = async ({ mode = "fast" }: { mode?: "fast" | "immediate" } = {}) => {
    await ctl(["-m", mode, "stop"]);
    running = false;
  };
  const forget = () => {
    process.off("exit", onExit);
    rmSync(dir, { recursive: true, force: true });
  };
  const onExit = () => {
    if (running)
      execFileSync(
        asRoot ? "runuser" : path.join(bindir, "pg_ctl"),
        asRoot
          ? ["-u", "postgres", "--", path.join(bindir, "pg_ctl"), "-D", data, "-m", "immediate", "stop"]
          : ["-D", data, "-m", "immediate", "stop"],
        { stdio: "ignore" },
      );
    forget();
  };
  process.on("exit", onExit); // a crashed test file still leaves no server behind
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
export async function startPostgres(): Promise<PostgresServer> {
  const support = postgresSupport();
  if (support.kind === "external") return openExternal(support.url);
  if (support.kind === "local") return startLocal(support.bindir);
  throw new Error(`[tests] no PostgreSQL: ${support.reason}`);
}
