/**
 * Size of a build's edge middleware bundle: the files `middleware-manifest.json`
 * lists for it, each gzipped (zlib level 9) and summed.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { builtMiddleware } from "../helpers/built-middleware";

export interface BundleSize {
  readonly files: number;
  readonly rawBytes: number;
  readonly gzipBytes: number;
}

/** The edge middleware bundle size of the app built in `appDir`; throws if it has no edge middleware. */
export async function edgeBundleSize(appDir: string): Promise<BundleSize> {
  const { runtime, edgeFiles } = await builtMiddleware(appDir);
  if (runtime !== "edge") throw new Error(`bench: ${appDir} has no edge middleware (runtime: ${runtime})`);
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of edgeFiles) {
    const content = await readFile(path.join(appDir, ".next", file));
    rawBytes += content.length;
    gzipBytes += gzipSync(content, { level: 9 }).length;
  }
  return { files: edgeFiles.length, rawBytes, gzipBytes };
}
