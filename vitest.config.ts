import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/helpers/global-setup.ts"],
    // 2 cores and real servers: one file at a time keeps ports, builds and timings sane.
    fileParallelism: false,
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 240_000,
    env: { NODE_ENV: "test" },
  },
});
