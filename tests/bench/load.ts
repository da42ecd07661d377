/**
 * `npm run bench -- --load`: `next start` on PostgreSQL 15 for 60 s under a
 * realistic mix (`load-mix.ts`), after measuring what one page view, one
 * refresh and one sign-in cost (server + database CPU, database round
 * trips). Reports throughput, p50/p99 and every answer by kind; the run is
 * good when there is no 5xx and no wrong decision. Writes
 * `tests/bench/results-load.md`.
 *
 * All the load comes from one address, where real traffic comes from many:
 * the copy's sign-in/sign-up limits are raised (storage unchanged, so the
 * limiter's own database work is still measured), and any 429 left is
 * counted apart as expected.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { signUpUser } from "../helpers/admin-http";
import type { AppCopy } from "../helpers/app-copy";
import { buildAppCopy } from "../helpers/app-copy";
import { pageRequest, uniqueEmail } from "../helpers/http";
import { startNext } from "../helpers/next-server";
import type { BenchDb } from "./bench-db";
import { startBenchDb } from "./bench-db";
import { serverCpuSeconds } from "./cpu-meter";
import type { Device } from "./load-devices";
import { DevicePool, signInDevice } from "./load-devices";
import type { MixResult } from "./load-mix";
import { MIX, runMix } from "./load-mix";
import { fmt } from "./stats";

const PASSWORD = "correct-horse-1";
/** Sign-in/sign-up limits raised for a single-address load generator; the rest of the limiter as configured. */
export const LOAD_AUTH_OVERRIDES = `{ rateLimit: { ...(authOptions as { rateLimit?: object }).rateLimit, max: 1_000_000, customRules: { ...(authOptions as { rateLimit?: { customRules?: object } }).rateLimit?.customRules, "/sign-in/*": { window: 10, max: 1_000_000 }, "/sign-up/*": { window: 10, max: 1_000_000 } } } }`;
/** Access-JWT lifetime during the run: short, so refreshes and expired tokens happen within 60 s. */
const TTL_SECONDS = 30;

export interface LoadRunOptions {
  readonly revision: string;
  readonly context: string;
  readonly command: string;
  readonly quick: boolean;
  readonly log: (line: string) => void;
  /** A build made with `LOAD_AUTH_OVERRIDES` and its migrated database (`--peers --load`). Default: its own. */
  readonly reuse?: { readonly copy: AppCopy; readonly db: BenchDb };
}

/** What one kind of request costs. */
interface Cost {
  readonly name: string;
  readonly n: number;
  readonly cpuMs: number;
  readonly queries: number;
  readonly p50: number;
}

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

async function inParallel(n: number, concurrency: number, one: (i: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const t0 = performance.now();
      await one(i);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies;
}

/** Builds, measures, reports; returns the markdown. */
export async function runLoad(options: LoadRunOptions): Promise<string> {
  const db = options.reuse?.db ?? (await startBenchDb());
  if (!options.reuse) options.log("[bench] next build (load: middleware as is, sign-in limits raised)…");
  const copy =
    options.reuse?.copy ?? (await buildAppCopy({ revision: options.revision, authOverrides: LOAD_AUTH_OVERRIDES }));
  const cpu = () => serverCpuSeconds(copy.dir) + serverCpuSeconds(db.dataDir);
  let server: Awaited<ReturnType<typeof startNext>> | undefined;
  try {
    if (!options.reuse) await db.migrate(copy.dir);
    // Costs first, with tokens that outlive the counting's pauses; then the mix with short-lived ones.
    const env = { DATABASE_URL: db.url, BETTER_AUTH_SECRET: db.secret };
    server = await startNext({ cwd: copy.dir, env: { ...env, AUTH_JWT_TTL: "3600" } });
    let base = server.url;
    const pool = new DevicePool();
    const users = Array.from({ length: options.quick ? 10 : 40 }, () => ({ email: uniqueEmail("load") }));
    options.log(`[bench] signing up ${users.length} users…`);
    await inParallel(users.length, 4, async (i) => {
      const email = users[i]?.email as string;
      const { status, id, jar } = await signUpUser(base, { email, password: PASSWORD, name: "Load" });
      if (status !== 200) throw new Error(`bench: sign-up answered ${status}`);
      pool.add({ email, userId: id, jar });
    });
    const measure = async (name: string, n: number, concurrency: number, one: (i: number) => Promise<void>) => {
      let cpuSeconds = 0;
      let latencies: number[] = [];
      const queries = await db.countQueries(async () => {
        const before = cpu();
        latencies = await inParallel(n, concurrency, one);
        cpuSeconds = cpu() - before;
      });
      options.log(`[bench] cost of ${name}: ${fmt((cpuSeconds * 1000) / n)} CPU-ms, ${fmt(queries / n)} queries`);
      return { name, n, cpuMs: (cpuSeconds * 1000) / n, queries: queries / n, p50: percentile(latencies, 50) };
    };
    const first = pool.borrow();
    const warm = await fetch(`${base}/dashboard`, pageRequest(first?.jar.header())); // the edge's JWKS fetch
    await warm.body?.cancel();
    if (first) pool.release(first);
    options.log("[bench] costs of one page view, refresh, sign-in…");
    const costs: Cost[] = [];
    const borrowed = () => {
      const device = pool.borrow();
      if (!device) throw new Error("bench: no device");
      return device;
    };
    const scale = options.quick ? 0.25 : 1;
    costs.push(
      await measure("page view, valid cookie (`/dashboard`)", 400 * scale, 8, async () => {
        const device = borrowed();
        const r = await fetch(`${base}/dashboard`, pageRequest(device.jar.header()));
        pool.release(device);
        if (r.status !== 200) throw new Error(`bench: page answered ${r.status}`);
        await r.body?.cancel();
      }),
    );
    costs.push(
      await measure("refresh (`POST /api/auth/refresh`)", 120 * scale, 4, async () => {
        const device = borrowed();
        const r = await fetch(`${base}/api/auth/refresh`, {
          method: "POST",
          headers: { cookie: device.jar.header(), origin: base },
        });
        device.jar.store(r);
        pool.release(device);
        if (r.status !== 200) throw new Error(`bench: refresh answered ${r.status}`);
        await r.body?.cancel();
      }),
    );
    const extra = new DevicePool();
    costs.push(
      await measure("sign-in (`POST /api/auth/sign-in/email`)", 40 * scale, 4, async (i) => {
        const device = await signInDevice(base, users[i % users.length]?.email as string, PASSWORD);
        if (typeof device === "number") throw new Error(`bench: sign-in answered ${device}`);
        extra.add(device);
      }),
    );
    await server.stop();
    server = await startNext({ cwd: copy.dir, env: { ...env, AUTH_JWT_TTL: String(TTL_SECONDS) } });
    base = server.url;
    const devices: Device[] = [];
    for (const from of [pool, extra]) for (let d = from.borrow(); d; d = from.borrow()) devices.push(d);
    for (const device of devices) {
      // Re-issue every token under the short lifetime (the verifier now refuses tokens older than it).
      const r = await fetch(`${base}/api/auth/refresh`, {
        method: "POST",
        headers: { cookie: device.jar.header(), origin: base },
      });
      device.jar.store(r);
      await r.body?.cancel();
      if (r.status !== 200) throw new Error(`bench: refresh after restart answered ${r.status}`);
      pool.add(device);
    }
    const seconds = options.quick ? 10 : 60;
    options.log(`[bench] mixed load for ${seconds} s…`);
    const before = cpu();
    const mix = await runMix({ base, pool, users, password: PASSWORD, workers: 16, seconds, refreshLeadSeconds: 5 });
    const mixCpu = cpu() - before;
    const serverErrors = errorLines(server.output());
    const report = render({ options, costs, mix, mixCpu, users: users.length, serverErrors });
    if (!options.quick) await writeFile(path.join(import.meta.dirname, "results-load.md"), report);
    return report;
  } finally {
    await server?.stop();
    if (!options.reuse) {
      await copy.remove();
      await db.remove();
    }
  }
}

/** The server's `[edge-guard]` error lines, numbers blanked so that alike causes count together. */
function errorLines(output: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of output.split("\n")) {
    if (!line.includes("[edge-guard]")) continue;
    const key = line.trim().replace(/\d+/g, "N");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function render(input: {
  options: LoadRunOptions;
  costs: readonly Cost[];
  mix: MixResult;
  mixCpu: number;
  users: number;
  serverErrors: ReadonlyMap<string, number>;
}): string {
  const { options, costs, mix, mixCpu, serverErrors } = input;
  const all = [...mix.latencies.values()].flat();
  const total = all.length;
  const by = (verdict: string) =>
    [...mix.answers.values()].filter((a) => a.verdict === verdict).reduce((sum, a) => sum + a.count, 0);
  const share = Object.entries(MIX)
    .map(([op, w]) => `${op} ${w}%`)
    .join(", ");
  return [
    "## Load test: `next start` on PostgreSQL 15",
    "",
    `${options.context}. Reproduce with \`${options.command}\`.`,
    "",
    "### What one request costs (server + database CPU, database round trips)",
    "",
    "| request | n | CPU-ms per request | DB round trips per request | p50 ms |",
    "|---|---:|---:|---:|---:|",
    ...costs.map((c) => `| ${c.name} | ${c.n} | ${fmt(c.cpuMs)} | ${fmt(c.queries)} | ${fmt(c.p50)} |`),
    "",
    `### ${fmt(mix.seconds)} s of mixed load (16 concurrent clients, ${input.users} users, JWT lifetime ${TTL_SECONDS} s)`,
    "",
    `Mix: ${share}. **${fmt(total / mix.seconds)} requests/s**, p50 **${fmt(percentile(all, 50))} ms**, p99 **${fmt(percentile(all, 99))} ms**; server + database used ${fmt(mixCpu / mix.seconds)} cores. **${by("5xx")} 5xx, ${by("wrong")} wrong decisions**, ${by("error")} client-side errors, ${by("expected-429")} expected 429.`,
    "",
    "| operation | count | p50 ms | p99 ms |",
    "|---|---:|---:|---:|",
    ...[...mix.latencies].map(
      ([op, l]) => `| ${op} | ${l.length} | ${fmt(percentile(l, 50))} | ${fmt(percentile(l, 99))} |`,
    ),
    "",
    "| answer (operation, status, detail) | count | verdict |",
    "|---|---:|---|",
    ...[...mix.answers]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, a]) => `| ${key} | ${a.count} | ${a.verdict} |`),
    "",
    ...(mix.fiveXxAt.length > 0
      ? [`The 5xx answers were sent at ${mix.fiveXxAt.map((t) => `${fmt(t)} s`).join(", ")} into the mix.`, ""]
      : []),
    ...(serverErrors.size === 0
      ? ["The server logged no `[edge-guard]` error during the mix.", ""]
      : [
          "What the server logged during the mix (`[edge-guard]` lines, numbers as N):",
          "",
          "| log line | count |",
          "|---|---:|",
          ...[...serverErrors].map(([line, n]) => `| \`${line.replaceAll("|", "\\|")}\` | ${n} |`),
          "",
        ]),
  ].join("\n");
}
