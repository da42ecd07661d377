/**
 * Start-up check (Node only, called from `instrumentation.ts`).
 */
import { mailStartupLine } from "../mail/mode";
import { ConfigError, serverConfig } from "./index";

/** Validates the configuration (on a `ConfigError` prints one line and exits with status 1), then says how mail goes out. */
export function checkConfigOrExit(): void {
  try {
    const line = mailStartupLine(serverConfig());
    if (line) console.info(line);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`[edge-guard] ${error.message}`);
    process.exit(1);
  }
}
