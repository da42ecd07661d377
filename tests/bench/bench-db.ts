/**
 * One PostgreSQL 15 for the benchmarks that compare builds on a real
 * database (`--peers`, `--load`): a throwaway cluster, migrated once, one
 * secret for every server on it (they share the `jwks` table, whose private
 * keys that secret encrypts), its data folder (to count its CPU with the
 * server's), and database round trips counted from `pg_stat_database`.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { createDb } from "@/lib/db";
import type { PostgresServer } from "../helpers/postgres";
import { startPostgres } from "../helpers/postgres";

const run = promisify(execFile);

/** Backends flush their statistics when idle at least every 10 s (PostgreSQL 15): wait that out. */
const STATS_SETTLE_MS = 11_500;

export interface BenchDb {
  readonly server: PostgresServer;
  readonly url: string;
  /** The cluster's data folder: every Postgres process runs in it (for `alsoCpuOf`). */
  readonly dataDir: string;
  /** `BETTER_AUTH_SECRET` for every server on this database. */
  readonly secret: string;
  /** Applies the schema with the copy's own `npm run db:migrate`. */
  migrate(copyDir: string): Promise<void>;
  /** Transactions (each autocommit query is one) the app servers ran while `fn` ran. */
  countQueries(fn: () => Promise<unknown>): Promise<number>;
  remove(): Promise<void>;
}

/** The data folder of the postmaster listening on `port` (its working directory). */
function dataDirOf(port: number): string {
  for (const pid of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (path.basename(args[0] ?? "") === "postgres" && args.includes(String(port)))
        return readlinkSync(`/proc/${pid}/cwd`);
    } catch {}
  }
  throw new Error(`bench: no postgres process found for port ${port}`);
}

async function transactions(url: string): Promise<number> {
  const handle = createDb({ databaseUrl: url, maxConnections: 1 });
  try {
    const { rows } = await sql<{ n: string }>`
      select (xact_commit + xact_rollback)::text as n from pg_stat_database where datname = current_database()`.execute(
      handle.db,
    );
    return Number(rows[0]?.n ?? Number.NaN);
  } finally {
    await handle.close();
  }
}

/** Starts the cluster. Call `remove()` when done. */
export async function startBenchDb(): Promise<BenchDb> {
  const server = await startPostgres({ needsControl: true });
  const url = server.url;
  const secret = randomBytes(32).toString("base64url");
  const settle = () => new Promise((r) => setTimeout(r, STATS_SETTLE_MS));
  const measure = async (fn: () => Promise<unknown>) => {
    await settle();
    const before = await transactions(url);
    await fn();
    await settle();
    return (await transactions(url)) - before;
  };
  let overhead: number | undefined;
  return {
    server,
    url,
    dataDir: dataDirOf(Number(new URL(url).port)),
    secret,
    migrate: async (copyDir) => {
      await run(path.join(copyDir, "node_modules/.bin/tsx"), ["lib/cli/migrate.ts"], {
        cwd: copyDir,
        env: { ...process.env, DATABASE_URL: url, BETTER_AUTH_SECRET: secret, NODE_ENV: "production" },
      });
    },
    countQueries: async (fn) => {
      overhead ??= await measure(async () => {}); // the counting's own reads
      return (await measure(fn)) - overhead;
    },
    remove: () => server.remove(),
  };
}
