/**
 * The Better Auth flows on PostgreSQL 15 through the Neon serverless driver
 * (over the kit's loopback WebSocket bridge), plus data integrity under
 * concurrent sign-ups and refreshes. The cluster is started here and removed
 * after; `TEST_DATABASE_URL` uses an existing server instead.
 */
import { afterAll, beforeAll, describe } from "vitest";
import type { PostgresServer } from "../helpers/postgres";
import { skipWithoutPostgres, startPostgres } from "../helpers/postgres";
import { describeAccountSettings } from "./account-settings-flows";
import { describeSignUpAtomicity } from "./auth-atomicity";
import { describeConcurrency } from "./auth-concurrency";
import type { AuthApp } from "./auth-flows";
import { describeAuthFlows, loadAuthApp } from "./auth-flows";
import { describePool } from "./postgres-pool";

const skip = skipWithoutPostgres("Better Auth on PostgreSQL 15");
let server: PostgresServer | undefined;
let app: AuthApp;

describe.skipIf(skip)("PostgreSQL 15 through the Neon driver", () => {
  beforeAll(async () => {
    server = await startPostgres();
    console.info(
      `[tests] PostgreSQL for the auth flows: ${server.external ? "TEST_DATABASE_URL" : "throwaway cluster"}`,
    );
    process.env.DATABASE_URL = server.url;
    app = await loadAuthApp();
  });
  afterAll(async () => {
    const { getDb } = await import("@/lib/db");
    await getDb().close();
    await server?.remove();
  });

  describeAuthFlows("Better Auth flows", () => app);
  describeAccountSettings("Account settings endpoints", () => app);
  describeConcurrency(() => app);
  describeSignUpAtomicity(() => app);
  describePool(
    () => server as PostgresServer,
    () => app,
  );
});
