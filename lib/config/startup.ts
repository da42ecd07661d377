/**
 * Start-up check (Node only, called from `instrumentation.ts`).
 */
import { ConfigError, serverConfig } from "./index";

/** Validates the configuration; on a `ConfigError` prints one line and exits with status 1. */
export function checkConfigOrExit(): void {
  try {
    serverConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`[edge-guard] ${error.message}`);
    process.exit(1);
  }
}
