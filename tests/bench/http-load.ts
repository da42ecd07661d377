/**
 * Throughput of several HTTP targets measured side by side: a fixed number
 * of connections for a fixed time per run, runs interleaved round by round
 * (order rotated each round) so drift on a shared machine hits every target
 * alike. Each run records wall-clock requests per second and, from `/proc`,
 * requests per CPU-second of the server; a run during which other processes
 * kept more than `quietCores` busy is repeated (at most `retries` times; the
 * quietest try is kept).
 */
import autocannon from "autocannon";
import type { CpuReading } from "./cpu-meter";
import { cpuBetween, readCpu, serverCpuSeconds } from "./cpu-meter";
import { median, rotate } from "./stats";

/** One URL with the headers to send and the status class every answer must have. */
export interface LoadTarget {
  readonly name: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly expect: "2xx" | "3xx";
  /** The app folder the server runs in (to read its CPU time). */
  readonly serverDir: string;
  /** Folders of other processes whose CPU counts as the server's (the database's data folder). Default none. */
  readonly alsoCpuOf?: readonly string[];
}

export interface LoadOptions {
  /** Concurrent connections. Default 10. */
  connections?: number;
  /** Seconds per run. Default 4. */
  durationSec?: number;
  /** Rounds (one run of every target each). Default 10. */
  rounds?: number;
  /** Seconds of unmeasured load per target first (JIT, caches, the JWKS fetch). Default 5. */
  warmupSec?: number;
  /** Outside load, in cores, above which a run is repeated. Default 0.3. */
  quietCores?: number;
  /** Repeats allowed per run. Default 2. */
  retries?: number;
  /** Pause before each measured run (s), so the previous run's trailing work (GC, JIT) is not counted in it. Default 1. */
  settleSec?: number;
}

/** Per-round samples (index = round) and their medians. */
export interface LoadResult {
  /** Wall-clock requests per second. */
  readonly rps: number;
  readonly samples: readonly number[];
  /** Requests per CPU-second of the server. */
  readonly perCpu: number;
  readonly perCpuSamples: readonly number[];
  /** Answers not of the expected class, plus connection errors, over all rounds. */
  readonly unexpected: number;
  /** Cores other processes kept busy during each kept run. */
  readonly otherCores: readonly number[];
}

interface Sample {
  readonly rps: number;
  readonly perCpu: number;
  readonly unexpected: number;
  readonly otherCores: number;
}

async function run(target: LoadTarget, connections: number, duration: number): Promise<Sample> {
  const extra = () => (target.alsoCpuOf ?? []).reduce((sum, dir) => sum + serverCpuSeconds(dir), 0);
  const [extraBefore, before] = [extra(), readCpu(target.serverDir)];
  const result = await autocannon({ url: target.url, headers: target.headers, connections, duration });
  const measured = cpuBetween(before, readCpu(target.serverDir));
  const extraUsed = extra() - extraBefore;
  const server = measured.server + extraUsed;
  const otherCores = Math.max(0, measured.otherCores - extraUsed / result.duration);
  const answered = result["1xx"] + result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"];
  const good = result[target.expect];
  return {
    rps: good / result.duration,
    perCpu: good / server,
    unexpected: answered - good + result.errors,
    otherCores,
  };
}

const pause = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

async function quietRun(target: LoadTarget, options: Required<LoadOptions>): Promise<Sample> {
  await pause(options.settleSec);
  let best = await run(target, options.connections, options.durationSec);
  for (let retry = 0; retry < options.retries && best.otherCores > options.quietCores; retry++) {
    await pause(options.settleSec);
    const again = await run(target, options.connections, options.durationSec);
    if (again.otherCores < best.otherCores) best = again;
  }
  return best;
}

/** Measures every target; returns results by target name. */
export async function measureLoad(targets: readonly LoadTarget[], options: LoadOptions = {}) {
  const settings: Required<LoadOptions> = {
    connections: 10,
    durationSec: 4,
    rounds: 10,
    warmupSec: 5,
    quietCores: 0.3,
    retries: 2,
    settleSec: 1,
    ...options,
  };
  for (const target of targets) await run(target, settings.connections, settings.warmupSec);
  const samples = new Map(targets.map((t) => [t.name, [] as Sample[]]));
  for (let round = 0; round < settings.rounds; round++) {
    for (const target of rotate(targets, round)) {
      const sample = await quietRun(target, settings);
      samples.get(target.name)?.push(sample);
      const line = `${sample.rps.toFixed(0)} req/s, ${sample.perCpu.toFixed(0)} req/CPU-s, others ${sample.otherCores.toFixed(2)} cores`;
      process.stderr.write(`[bench] round ${round + 1}/${settings.rounds} ${target.name}: ${line}\n`);
    }
  }
  return summarise(samples);
}

function summarise(samples: ReadonlyMap<string, readonly Sample[]>): Map<string, LoadResult> {
  const results = new Map<string, LoadResult>();
  for (const [name, list] of samples) {
    results.set(name, {
      rps: median(list.map((s) => s.rps)),
      samples: list.map((s) => s.rps),
      perCpu: median(list.map((s) => s.perCpu)),
      perCpuSamples: list.map((s) => s.perCpu),
      unexpected: list.reduce((sum, s) => sum + s.unexpected, 0),
      otherCores: list.map((s) => s.otherCores),
    });
  }
  return results;
}

/**
 * Measures `targets` at the same time, round after round: each gets its own
 * `connections` for the same `durationSec`, so whatever the machine does
 * meanwhile (frequency, neighbours, the host's scheduling) hits all of them
 * alike, where back-to-back runs each meet a different moment. The ratio of
 * two servers' requests per CPU-second in one round is then a tight paired
 * sample. Results by target name, as `measureLoad`'s.
 */
export async function measureTogether(targets: readonly LoadTarget[], options: LoadOptions = {}) {
  const settings: Required<LoadOptions> = {
    connections: 10,
    durationSec: 4,
    rounds: 10,
    warmupSec: 5,
    quietCores: 0.3,
    retries: 0,
    settleSec: 1,
    ...options,
  };
  const once = async (durationSec: number): Promise<Sample[]> => {
    const before = targets.map((t) => readCpu(t.serverDir));
    const results = await Promise.all(
      targets.map((t) =>
        autocannon({ url: t.url, headers: t.headers, connections: settings.connections, duration: durationSec }),
      ),
    );
    const after = targets.map((t) => readCpu(t.serverDir));
    const servers = targets.map((_, i) => cpuBetween(before[i] as CpuReading, after[i] as CpuReading).server);
    const first = cpuBetween(before[0] as CpuReading, after[0] as CpuReading);
    const wall = (after[0] as CpuReading).wall - (before[0] as CpuReading).wall;
    // Everything but these servers and this process (cpuBetween already took out the first server).
    const otherCores = Math.max(0, first.otherCores - servers.slice(1).reduce((a, b) => a + b, 0) / wall);
    return targets.map((t, i) => {
      const result = results[i] as autocannon.Result;
      const answered = result["1xx"] + result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"];
      const good = result[t.expect];
      return {
        rps: good / result.duration,
        perCpu: good / (servers[i] as number),
        unexpected: answered - good + result.errors,
        otherCores,
      };
    });
  };
  await once(settings.warmupSec);
  const samples = new Map(targets.map((t) => [t.name, [] as Sample[]]));
  for (let round = 0; round < settings.rounds; round++) {
    await pause(settings.settleSec);
    let best = await once(settings.durationSec);
    for (let retry = 0; retry < settings.retries && (best[0]?.otherCores ?? 0) > settings.quietCores; retry++) {
      await pause(settings.settleSec);
      const again = await once(settings.durationSec);
      if ((again[0]?.otherCores ?? 0) < (best[0]?.otherCores ?? 0)) best = again;
    }
    const line = targets.map((t, i) => `${t.name} ${best[i]?.perCpu.toFixed(0)} req/CPU-s`).join(", ");
    process.stderr.write(`[bench] together ${round + 1}/${settings.rounds}: ${line}, others ${best[0]?.otherCores.toFixed(2)} cores\n`);
    targets.forEach((t, i) => samples.get(t.name)?.push(best[i] as Sample));
  }
  return summarise(samples);
}
