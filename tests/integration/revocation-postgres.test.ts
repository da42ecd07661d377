/**
 * Every revoking action ends in the revocation feed, on PostgreSQL 15 through
 * the Neon driver (a throwaway cluster; `TEST_DATABASE_URL` uses an existing server).
 */
import { afterAll, beforeAll, describe } from "vitest";
import type { PostgresServer } from "../helpers/postgres";
import { skipWithoutPostgres, startPostgres } from "../helpers/postgres";
import { describeRevocationActions } from "./revocation-actions";

const skip = skipWithoutPostgres("revocation on PostgreSQL 15");
let server: PostgresServer | undefined;

describe.skipIf(skip)("PostgreSQL 15 through the Neon driver", () => {
  beforeAll(async () => {
    server = await startPostgres();
    process.env.DATABASE_URL = server.url;
  });
  afterAll(async () => {
    const { getDb } = await import("@/lib/db");
    await getDb().close();
    await server?.remove();
  });

  describeRevocationActions("revocation on PostgreSQL 15");
});
