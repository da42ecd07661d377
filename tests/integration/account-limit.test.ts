/**
 * The per-account counter under concurrency, on PGlite and on PostgreSQL 15
 * (many pooled connections): a burst of parallel attempts never gets more
 * than `max` through, the window reopens, and a reset clears it.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db";
import { createDb } from "@/lib/db";
import { consume, reset } from "@/lib/rate-limit/account-store";
import { ROOT } from "../helpers/next-server";
import type { PostgresServer } from "../helpers/postgres";
import { skipWithoutPostgres, startPostgres } from "../helpers/postgres";

const run = promisify(execFile);

// biome-ignore lint/suspicious/noExplicitAny: Better Auth's tables are not in the kit's `Database` type
type AnyDb = DbHandle["db"] & import("kysely").Kysely<any>;

function describeCounter(title: string, db: () => AnyDb): void {
  describe(title, () => {
    it("lets exactly max of a parallel burst through", async () => {
      const key = `test:${Math.random()}`;
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => consume(db(), key, { window: 60, max: 5 })));
      expect(outcomes.filter((o) => o.allowed)).toHaveLength(5);
      const refused = outcomes.find((o) => !o.allowed);
      expect(refused && !refused.allowed && refused.retryAfter).toBeGreaterThan(50);
    });

    it("opens a new window once the old one has passed, and forgets a key on reset", async () => {
      const key = `test:${Math.random()}`;
      const rule = { window: 1, max: 1 };
      expect((await consume(db(), key, rule)).allowed).toBe(true);
      expect((await consume(db(), key, rule)).allowed).toBe(false);
      await expect
        .poll(async () => (await consume(db(), key, rule)).allowed, { timeout: 10_000, interval: 300 })
        .toBe(true);
      await reset(db(), key);
      expect((await consume(db(), key, rule)).allowed).toBe(true);
    });
  });
}

async function migrateCli(env: Record<string, string>): Promise<void> {
  await run(path.join(ROOT, "node_modules/.bin/tsx"), ["lib/cli/migrate.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
}

describe("per-account counter on PGlite", () => {
  let handle: DbHandle;
  beforeAll(async () => {
    delete process.env.DATABASE_URL;
    const { ensureReady } = await import("@/lib/auth");
    await ensureReady();
    handle = (await import("@/lib/db")).getDb();
  });
  describeCounter("PGlite", () => handle.db as AnyDb);
});

describe.skipIf(skipWithoutPostgres("per-account counter on PostgreSQL"))(
  "per-account counter on PostgreSQL 15",
  () => {
    let pg: PostgresServer;
    let handle: DbHandle;
    beforeAll(async () => {
      pg = await startPostgres();
      await migrateCli({ DATABASE_URL: pg.url });
      handle = createDb({ databaseUrl: pg.url, maxConnections: 10 });
    });
    afterAll(async () => {
      await handle?.close();
      await pg?.remove();
    });
    describeCounter("PostgreSQL 15", () => handle.db as AnyDb);
  },
);
