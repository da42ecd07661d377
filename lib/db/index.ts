/**
 * The one SQL layer: Kysely, over embedded PGlite when `DATABASE_URL` is
 * unset, else over the Neon serverless driver's `Pool` (Neon or any Postgres;
 * a loopback Postgres through the kit's own WebSocket bridge, see
 * `lib/db/neon-pool.ts`). One instance per process, memoised on `globalThis` so
 * dev reloads, Better Auth and migrations all share it.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { Generated } from "kysely";
import { Kysely, PGliteDialect, PostgresDialect } from "kysely";
import { serverConfig } from "../config";
import type { NeonPool } from "./neon-pool";
import { createNeonPool } from "./neon-pool";

/** Better Auth's tables, as far as the kit reads them itself. */
export interface Database {
  user: {
    id: string;
    email: string;
    name: string;
    emailVerified: boolean;
    role: string | null;
    createdAt: Generated<Date>;
    updatedAt: Generated<Date>;
  };
  session: {
    id: string;
    userId: string;
    token: string;
    expiresAt: Date;
    createdAt: Generated<Date>;
    updatedAt: Generated<Date>;
  };
  account: { id: string; userId: string; providerId: string; accountId: string; password: string | null };
  jwks: { id: string; publicKey: string; privateKey: string; createdAt: Date; expiresAt: Date | null };
}

/** An open database: the Kysely instance and how to close it. */
export interface DbHandle {
  readonly db: Kysely<Database>;
  /** `pglite` or `postgres`, for logs and tests. */
  readonly kind: "pglite" | "postgres";
  /** Closes the pool or the embedded database. */
  close(): Promise<void>;
}

/** Options of `createDb`; every field has a default. */
export interface CreateDbOptions {
  /** A Postgres URL; unset means embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite folder or `memory://`. Default `memory://`. */
  pgliteDataDir?: string;
  /** Largest number of pooled connections (serverless: keep small). Default 5. */
  maxConnections?: number;
  /** Close a pooled connection after this long idle (ms). Default 10000. */
  idleTimeoutMillis?: number;
  /** Give up opening a connection after this long (ms): the database is likely gone. Default 5000. */
  connectionTimeoutMillis?: number;
  /** Give up waiting for a free connection when all are busy after this long (ms). Default 30000. */
  queueTimeoutMillis?: number;
}

/**
 * Opens a database handle. Most code wants `getDb()` instead.
 *
 * With a URL nothing connects yet: the pool (and, for a loopback host, the
 * bridge) starts on the first query. A connection dropped by a database
 * restart leaves the pool, so the next request opens a fresh one; a query
 * that cannot reach the database throws a `DatabaseUnavailableError`.
 */
export function createDb(options: CreateDbOptions = {}): DbHandle {
  const { databaseUrl, pgliteDataDir = "memory://", maxConnections = 5 } = options;
  if (!databaseUrl) {
    if (!pgliteDataDir.includes("://")) mkdirSync(path.dirname(pgliteDataDir), { recursive: true });
    const pglite = new PGlite(pgliteDataDir);
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
    return { db, kind: "pglite", close: () => db.destroy() };
  }
  let neon: Promise<NeonPool> | undefined;
  const pool = async () => {
    neon ??= createNeonPool({
      connectionString: databaseUrl,
      max: maxConnections,
      idleTimeoutMillis: options.idleTimeoutMillis ?? 10_000,
      connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
      queueTimeoutMillis: options.queueTimeoutMillis ?? 30_000,
    }).catch((error: unknown) => {
      neon = undefined; // retried by the next query
      throw error;
    });
    return (await neon).pool;
  };
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: "postgres",
    close: async () => {
      await db.destroy();
      await (await neon)?.close();
    },
  };
}

const globalForDb = globalThis as typeof globalThis & { __edgeGuardDb?: DbHandle };

/** Closes the pool on SIGTERM/SIGINT, then lets the signal do what it would have done (Next exits by itself). */
function closeOnShutdown(handle: DbHandle): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void handle.close().finally(() => {
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    });
  }
}

/** The process-wide database handle, from `serverConfig()`. */
export function getDb(): DbHandle {
  if (!globalForDb.__edgeGuardDb) {
    const config = serverConfig();
    const handle = createDb({ databaseUrl: config.databaseUrl, pgliteDataDir: config.pgliteDataDir });
    if (handle.kind === "postgres") closeOnShutdown(handle);
    globalForDb.__edgeGuardDb = handle;
  }
  return globalForDb.__edgeGuardDb;
}
