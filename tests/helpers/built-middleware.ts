/**
 * How a built app runs its middleware (or Next 16 proxy), read from the
 * manifests `next build` writes under `<app>/.next/server/`.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";

/** Where a build put its middleware, read from the manifests in `<appDir>/.next/server/`. */
export interface BuiltMiddleware {
  /** `edge`: listed in `middleware-manifest.json`; `nodejs`: `/_middleware` in `functions-config-manifest.json`. */
  readonly runtime: "edge" | "nodejs" | "none";
  /** The edge bundle's files, relative to `.next/` (empty unless `edge`). */
  readonly edgeFiles: readonly string[];
}

async function readJson<T>(file: string, fallback: T): Promise<T> {
  return existsSync(file) ? (JSON.parse(await readFile(file, "utf8")) as T) : fallback;
}

/** Reports how a built app runs its middleware or proxy. */
export async function builtMiddleware(appDir: string): Promise<BuiltMiddleware> {
  const server = path.join(appDir, ".next/server");
  const edge = await readJson<{ middleware?: Record<string, { files?: string[] }> }>(
    path.join(server, "middleware-manifest.json"),
    {},
  );
  const edgeFiles = Object.values(edge.middleware ?? {}).flatMap((entry) => entry.files ?? []);
  if (edgeFiles.length > 0) return { runtime: "edge", edgeFiles };
  const functions = await readJson<{ functions?: Record<string, { runtime?: string }> }>(
    path.join(server, "functions-config-manifest.json"),
    {},
  );
  const node = functions.functions?.["/_middleware"]?.runtime === "nodejs";
  return { runtime: node ? "nodejs" : "none", edgeFiles: [] };
}
