/**
 * Start-up checks (Node only): `instrumentation.ts` runs `checkConfigOrExit()`
 * when the server starts, `next.config.ts` runs `checkBuildConfigOrExit()`
 * when `next build` starts.
 */
import { mailStartupLine } from "../mail/mode";
import { ConfigError, readServerConfig, serverConfig } from "./index";

/** Runs `read` (on a `ConfigError` prints one line and exits with status 1, no stack trace), then says how mail goes out. */
export function checkConfigOrExit(read: () => unknown = serverConfig): void {
  try {
    read();
    if (read === serverConfig) {
      const line = mailStartupLine(serverConfig());
      if (line) console.info(line);
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`[edge-guard] ${error.message}`);
    process.exit(1);
  }
}

/**
 * The build's check: every value that is set is validated as at start-up;
 * missing production values count only on Vercel (see `ReadServerConfigOptions`).
 */
export function checkBuildConfigOrExit(env: Record<string, string | undefined> = process.env): void {
  checkConfigOrExit(() => readServerConfig({ ...env, NODE_ENV: "production" }, { phase: "build" }));
}
