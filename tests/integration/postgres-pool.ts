/**
 * The pool under the app, on a real server: it closes what it opened, it
 * opens connections on a saturated event loop, and after the server crashes
 * and comes back the next query simply works.
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

/**
 * Keeps the event loop saturated the way a loaded server does: every turn
 * runs a task of `taskMs` first. Returns how many turns ran once stopped.
 */
function saturateEventLoop(taskMs: number): { stop(): number } {
  let turns = 0;
  let running = true;
  const task = () => {
    turns++;
    const until = performance.now() + taskMs;
    while (performance.now() < until) {
      // a page render's worth of work
    }
    if (running) setImmediate(task);
  };
  setImmediate(task);
  return {
    stop: () => {
      running = false;
      return turns;
    },
  };
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

    it("opens a connection on a saturated event loop: SCRAM costs a few turns, not one per HMAC", async () => {
      // The driver's own SCRAM awaits 4,096 WebCrypto HMACs in a row: behind 2 ms tasks that is
      // over 8 s, past the 5 s connect timeout (the load test's 503s). The kit's takes a few turns.
      const handle = createDb({ databaseUrl: server().url, maxConnections: 1 });
      const busy = saturateEventLoop(2);
      try {
        expect((await sql<{ x: number }>`select 1 as x`.execute(handle.db)).rows).toEqual([{ x: 1 }]);
        expect(busy.stop()).toBeLessThan(1000);
      } finally {
        busy.stop();
        await handle.close();
      }
    });

    it("still refuses a wrong password", async (context) => {
      if (server().external) context.skip("TEST_DATABASE_URL: its password is not ours to vary");
      const url = new URL(server().url);
      url.password = "not-the-password";
      const handle = createDb({ databaseUrl: url.toString(), maxConnections: 1 });
      try {
        await expect(sql`select 1`.execute(handle.db)).rejects.toThrow(/password authentication failed/);
      } finally {
        await handle.close();
      }
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
