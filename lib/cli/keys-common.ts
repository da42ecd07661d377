/**
 * What the `keys:*` commands share: the database they act on (named in their
 * one-line report), schema readiness, and one-line failures with exit status 1.
 * The app's modules are imported inside the command, so that a configuration
 * error (a missing secret, a bad `DATABASE_URL`) is that one line too.
 */

/** `2026-12-01 23:40 UTC`: short and unambiguous. */
export function when(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Whether a flag was given as `-- --flag` or as npm's own `npm run x --flag` (npm_config_flag). */
export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`) || process.env[`npm_config_${name.replace(/-/g, "_")}`] === "true";
}

/** The database in human terms: `host:port`, or `PGlite (<folder>)`. */
async function describeTarget(): Promise<string> {
  const { serverConfig } = await import("../config");
  const config = serverConfig();
  return config.databaseUrl ? new URL(config.databaseUrl).host : `PGlite (${config.pgliteDataDir})`;
}

/**
 * Runs a command against the configured database, handing it the target's
 * name; any failure is one line on stderr and exit status 1.
 */
export async function runKeysCommand(name: string, command: (target: string) => Promise<void>): Promise<void> {
  let target = "the configured database";
  try {
    target = await describeTarget();
    const { ensureReady } = await import("../auth");
    await ensureReady(); // PGlite and development migrate themselves, as the app does
    await command(target);
  } catch (error) {
    console.error(`${name} failed on ${target}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
  try {
    const { getDb } = await import("../db");
    await getDb().close();
  } catch {}
}
