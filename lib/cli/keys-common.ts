/**
 * What the `keys:*` commands share: the database they act on (named in their
 * one-line report), schema readiness, and one-line failures with exit status 1.
 */
import { ensureReady } from "../auth";
import { serverConfig } from "../config";
import { getDb } from "../db";

/** The database in human terms: `host:port`, or `PGlite (<folder>)`. */
export function target(): string {
  const config = serverConfig();
  return config.databaseUrl ? new URL(config.databaseUrl).host : `PGlite (${config.pgliteDataDir})`;
}

/** `2026-12-01 23:40 UTC`: short and unambiguous. */
export function when(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Whether a flag was given as `-- --flag` or as npm's own `npm run x --flag` (npm_config_flag). */
export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`) || process.env[`npm_config_${name.replace(/-/g, "_")}`] === "true";
}

/** Runs a command against the configured database; any failure is one line on stderr and exit 1. */
export async function runKeysCommand(name: string, command: () => Promise<void>): Promise<void> {
  try {
    await ensureReady(); // PGlite and development migrate themselves, as the app does
    await command();
    await getDb().close();
  } catch (error) {
    console.error(`${name} failed on ${target()}: ${error instanceof Error ? error.message : String(error)}`);
    await getDb()
      .close()
      .catch(() => {});
    process.exit(1);
  }
}
