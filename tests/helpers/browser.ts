/**
 * Debian's Chromium driven by playwright-core (never a browser download).
 * Without Chromium the browser tests skip, unless `REQUIRE_BROWSER=1` (CI).
 */
import { execFileSync } from "node:child_process";
import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";

export function chromiumPath(): string | undefined {
  try {
    return (
      execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

export const browserMissing = !chromiumPath() && process.env.REQUIRE_BROWSER !== "1";
if (browserMissing) console.warn("[tests] Chromium not found (apt-get install chromium): browser tests skipped");

export function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("Chromium is required (REQUIRE_BROWSER=1): apt-get install chromium");
  return chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
