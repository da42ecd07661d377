/**
 * The pool under the app, on a real server: it closes what it opened, and
 * after the server crashes and comes back the next query simply works.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import type { PostgresServer } from "../helpers/postgres";
import type { AuthApp } from "./auth-flows";

async function backends(db: AuthApp["db"], applicationName: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity where application_name = ${applicationName}`.execute(db);
  return rows[0]?.n ?? 0;
}

/** Registers the pool checks; `server()` and `app()` are valid from the first test on. */
export function describePool(server: () => PostgresServer, app: () => AuthApp): void {
  describe("the connection pool", () => {
    it("closes every connection it opened when the handle is closed", async () => {
      const url = new URL(server().url);
      url.searchParams.set("application_name", "eg-close-check");
      const handle = createDb({ databaseUrl: url.toString(), maxConnections: 3 });
      await Promise.all([1, 2, 3].map((n) => sql`select pg_sleep(0.05), ${n}::int`.execute(handle.db)));
      expect(await backends(app().db, "eg-close-check")).toBeGreaterThan(0);
      await handle.close();
      await expect.poll(() => backends(app().db, "eg-close-check")).toBe(0);
    });

    it("serves the first query after the server crashed and came back", async (context) => {
      if (server().external) context.skip("TEST_DATABASE_URL: not our server to crash");
      const handle = createDb({ databaseUrl: server().url });
      try {
        expect((await sql<{ x: number }>`select 1 as x`.execute(handle.db)).rows).toEqual([{ x: 1 }]);
        await server().stop({ mode: "immediate" });
        await server().start();
        expect((await sql<{ x: number }>`select 2 as x`.execute(handle.db)).rows).toEqual([{ x: 2 }]);
      } finally {
        await handle.close();
      }
    });
  });
}
