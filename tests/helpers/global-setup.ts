/**
 * Builds the app once per test run (`next build`), when any end-to-end test
 * is selected. Set `EG_SKIP_BUILD=1` to reuse an existing `.next`.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

function e2eSelected(): boolean {
  const args = process.argv.slice(2).filter((a) => !a.startsWith("-") && a !== "run" && !a.includes("vitest"));
  return args.length === 0 || args.some((a) => a.includes("e2e"));
}

export default function setup(): void {
  if (process.env.EG_SKIP_BUILD === "1" || !e2eSelected()) return;
  console.log("[tests] next build (once for all end-to-end tests)…");
  execFileSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
}
