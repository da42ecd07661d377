/**
 * `npm run bench`: the guard's costs as ratios against baselines measured in
 * the same run (verify vs raw Ed25519, HTTP vs an empty middleware and none,
 * bundle vs an empty middleware). Not a test: nothing here runs in `npm test`.
 *
 * Prints a markdown report and writes it to `tests/bench/results.md`.
 * The builds come from one commit (`--rev <ref>`, default `HEAD`; commit
 * first to measure changes); the verify part imports `lib/edge` as it is.
 * `--proxy` adds a build of the guard as `proxy.ts` on Node; `--control` a
 * second empty build (D), measured against C exactly as A is: the difference
 * the harness reads between two identical servers.
 * `--quick` runs a short smoke version and writes nothing.
 * `--peers` instead compares the guard with Better Auth's own Next 16
 * patterns on PostgreSQL 15 (`peers.ts`); `--load` runs the 60 s mixed load
 * test on PostgreSQL 15 (`load.ts`).
 */
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ROOT } from "../helpers/next-server";
import { edgeBundleSize } from "./bundle-size";
import { measureGuardCost } from "./guard-cost";
import type { LoadTarget } from "./http-load";
import { measureLoad } from "./http-load";
import type { RunningVariant, VariantName } from "./http-variants";
import { buildVariants, disposeVariants, startVariant } from "./http-variants";
import type { BenchResults, BenchSettings } from "./report";
import { renderReport } from "./report";
import { measureVerifyCost } from "./verify-cost";

const quick = process.argv.includes("--quick");
const withProxy = process.argv.includes("--proxy");
const withControl = process.argv.includes("--control");
/** The commit the three builds are made from: `--rev <ref>`, default `HEAD`. */
const revIndex = process.argv.indexOf("--rev");
const revision = (revIndex > 0 ? process.argv[revIndex + 1] : undefined) ?? "HEAD";
const settings: BenchSettings = quick
  ? {
      verifyRounds: 3,
      connections: 10,
      pairDurationSec: 2,
      pairWarmupSec: 1,
      durationSec: 2,
      rounds: 2,
      quietCores: 0.3,
      retries: 0,
    }
  : {
      verifyRounds: 21,
      connections: 10,
      pairDurationSec: 10,
      pairWarmupSec: 60,
      durationSec: 4,
      rounds: 12,
      quietCores: 0.3,
      retries: 1,
    };
const log = (line: string) => process.stderr.write(`${line}\n`);

function context(): string {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
  const edgeDirty = git("status", "--porcelain", "--", "lib/edge") !== "";
  const next = execFileSync(process.execPath, ["-p", "require('next/package.json').version"], { cwd: ROOT });
  const cpus = os.cpus();
  return [
    new Date().toISOString().slice(0, 10),
    `builds of commit ${git("rev-parse", "--short", revision)}${edgeDirty ? " (verify part: lib/edge with uncommitted changes)" : ""}`,
    `Node ${process.version}, Next ${String(next).trim()}`,
    `${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}`,
    `load average ${os.loadavg()[0]?.toFixed(2)} at start`,
  ].join(" · ");
}

function byName(variants: readonly RunningVariant[], name: VariantName): RunningVariant {
  const found = variants.find((v) => v.name === name);
  if (!found?.server || !found.cookie) throw new Error(`bench: variant ${name} is not running`);
  return found;
}

function target(variant: RunningVariant, withCookie: boolean): LoadTarget {
  const headers: Record<string, string> = { accept: "text/html", "sec-fetch-dest": "document" };
  if (withCookie && variant.cookie) headers.cookie = variant.cookie;
  return {
    name: `${variant.name}-${withCookie ? "page" : "redirect"}`,
    url: `${variant.server?.url}/dashboard`,
    headers,
    expect: withCookie ? "2xx" : "3xx",
    serverDir: variant.copy.dir,
  };
}

/** `--peers` and `--load`: their own builds and database, their own report file. */
async function otherModes(): Promise<boolean> {
  const command = ["npm run bench --", ...process.argv.slice(2)].join(" ");
  const common = { revision, context: context(), command, quick, log };
  const load = process.argv.includes("--load");
  if (process.argv.includes("--peers")) {
    const { runPeers } = await import("./peers");
    const { LOAD_AUTH_OVERRIDES, runLoad } = await import("./load");
    const report = await runPeers({
      ...common,
      ...settings,
      warmupSec: quick ? 1 : 10,
      // With --load too, the load run reuses the kit's build (its raised sign-in limits never touch a page view).
      ...(load
        ? {
            kitAuthOverrides: LOAD_AUTH_OVERRIDES,
            afterPeers: (copy, db) => runLoad({ ...common, reuse: { copy, db } }),
          }
        : {}),
    });
    process.stdout.write(`${report}\n`);
    return true;
  }
  if (load) {
    const { runLoad } = await import("./load");
    process.stdout.write(`${await runLoad(common)}\n`);
    return true;
  }
  return false;
}

async function main(): Promise<void> {
  const started = Date.now();
  if (await otherModes()) return;
  const ctx = context();
  log("[bench] verify cost…");
  const verify = await measureVerifyCost({ rounds: settings.verifyRounds, callsPerRound: quick ? 300 : 600 });
  log("[bench] guard cost…");
  const guardCost = await measureGuardCost({ rounds: settings.verifyRounds, callsPerRound: quick ? 2000 : 10_000 });
  const names: VariantName[] = [
    "A",
    "C",
    "B",
    ...(withProxy ? ["P" as const] : []),
    ...(withControl ? ["D" as const] : []),
  ];
  const variants = await buildVariants(revision, names, log);
  const stop = () => void disposeVariants(variants).finally(() => process.exit(130));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    const [A, C] = [variants[0], variants[1]];
    if (!A || !C) throw new Error("bench: builds missing");
    const bundle = { A: await edgeBundleSize(A.copy.dir), C: await edgeBundleSize(C.copy.dir) };
    for (const v of variants) await startVariant(v);
    const [a, b, c] = [byName(variants, "A"), byName(variants, "B"), byName(variants, "C")];
    log("[bench] HTTP load…");
    const load = {
      connections: settings.connections,
      durationSec: settings.durationSec,
      quietCores: settings.quietCores,
      retries: settings.retries,
      warmupSec: quick ? 1 : 10,
    };
    // A against C in pairs of their own, first one then the other: the headline ratio. In rounds
    // shared with B, A ran before C in two rotations out of three, and a round's first run
    // measured lowest, which read as a few percent of guard cost that A and C alone do not show.
    // A long warm-up first: measured from a fresh start, A's first rounds read low while V8 still optimises the guard.
    const pairLoad = { ...load, durationSec: settings.pairDurationSec, warmupSec: settings.pairWarmupSec };
    const pair = await measureLoad([target(a, true), target(c, true)], { ...pairLoad, rounds: settings.rounds });
    const half = Math.max(1, Math.round(settings.rounds / 2));
    const control = withControl
      ? await measureLoad([{ ...target(c, true), name: "C-control" }, target(byName(variants, "D"), true)], {
          ...pairLoad,
          rounds: half,
        })
      : undefined;
    // C against B (and P): what running any middleware costs Next, in rounds of their own.
    const withoutGuard = [{ ...target(c, true), name: "C-page-b" }, target(b, true)];
    if (withProxy) withoutGuard.push(target(byName(variants, "P"), true));
    const fixed = await measureLoad(withoutGuard, { ...load, rounds: half });
    // The redirect against C's page in rounds of their own: a redirect run leaves the load generator
    // (this process) with garbage that would slow whichever page run came next.
    const redirects = await measureLoad([target(a, false), { ...target(c, true), name: "C-page-r" }], {
      ...load,
      rounds: half,
    });
    const get = (name: string) => {
      const result = pair.get(name) ?? fixed.get(name) ?? redirects.get(name);
      if (!result) throw new Error(`bench: no result for ${name}`);
      return result;
    };
    const results: BenchResults = {
      context: ctx,
      command: ["npm run bench", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(" "),
      settings,
      verify,
      guard: guardCost,
      http: {
        pageA: get("A-page"),
        pageC: get("C-page"),
        pageCb: get("C-page-b"),
        pageB: get("B-page"),
        redirectA: get("A-redirect"),
        redirectC: get("C-page-r"),
        ...(withProxy ? { pageP: get("P-page") } : {}),
        ...(control ? { controlC: control.get("C-control"), controlD: control.get("D-page") } : {}),
      },
      bundle,
    };
    const report = renderReport(results);
    process.stdout.write(`${report}\n`);
    if (!quick) await writeFile(path.join(import.meta.dirname, "results.md"), report);
    log(`[bench] done in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    await disposeVariants(variants);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
