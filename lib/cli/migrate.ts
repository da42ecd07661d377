/**
 * `npm run db:migrate`: applies Better Auth's schema to the configured database
 * (`DATABASE_URL`, else the embedded PGlite in `.data/pglite`). Idempotent.
 */
import { migrate } from "../auth";
import { serverConfig } from "../config";
import { getDb } from "../db";

async function main(): Promise<void> {
  const config = serverConfig();
  const target = config.databaseUrl ? new URL(config.databaseUrl).host : `PGlite (${config.pgliteDataDir})`;
  const changed = await migrate();
  console.log(
    changed.length > 0
      ? `Migrated ${target}: ${changed.join(", ")}`
      : `Nothing to migrate on ${target}: schema is up to date`,
  );
  await getDb().close();
}

main().catch((error: unknown) => {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
