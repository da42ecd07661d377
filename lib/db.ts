/**
 * The one SQL layer: Kysely, over embedded PGlite when `DATABASE_URL` is
 * unset, else over the Neon serverless driver's `Pool` (Neon or any Postgres).
 * One instance per process, memoised on `globalThis` so dev reloads, Better
 * Auth and migrations all share it.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { neonConfig, Pool } from "@neondatabase/serverless";
import type { Generated, PostgresPool } from "kysely";
import { Kysely, PGliteDialect, PostgresDialect } from "kysely";
import ws from "ws";
import { serverConfig } from "./config";

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

export interface DbHandle {
  readonly db: Kysely<Database>;
  /** `pglite` or `postgres`, for logs and tests. */
  readonly kind: "pglite" | "postgres";
  /** Closes the pool or the embedded database. */
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** A Postgres URL; unset means embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite folder or `memory://`. Default `memory://`. */
  pgliteDataDir?: string;
  /** Largest number of pooled connections (serverless: keep small). Default 5. */
  maxConnections?: number;
}

/** Opens a database handle. Most code wants `getDb()` instead. */
export function createDb(options: CreateDbOptions = {}): DbHandle {
  const { databaseUrl, pgliteDataDir = "memory://", maxConnections = 5 } = options;
  if (!databaseUrl) {
    if (!pgliteDataDir.includes("://")) mkdirSync(path.dirname(pgliteDataDir), { recursive: true });
    const pglite = new PGlite(pgliteDataDir);
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
    return { db, kind: "pglite", close: () => db.destroy() };
  }
  // Node 20 has no global WebSocket; Edge and newer Node do.
  if (typeof WebSocket === "undefined") neonConfig.webSocketConstructor = ws;
  const pool = new Pool({
    connectionString: databaseUrl,
    max: maxConnections,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: 5_000,
  });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as unknown as PostgresPool }) });
  return { db, kind: "postgres", close: () => db.destroy() };
}

const globalForDb = globalThis as typeof globalThis & { __edgeGuardDb?: DbHandle };

/** The process-wide database handle, from `serverConfig()`. */
export function getDb(): DbHandle {
  if (!globalForDb.__edgeGuardDb) {
    const config = serverConfig();
    globalForDb.__edgeGuardDb = createDb({ databaseUrl: config.databaseUrl, pgliteDataDir: config.pgliteDataDir });
  }
  return globalForDb.__edgeGuardDb;
}
