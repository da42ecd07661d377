/**
 * Throughput of several HTTP targets measured side by side: a fixed number
 * of connections for a fixed time per run, runs interleaved round by round
 * (order rotated each round) so drift on a shared machine hits every target
 * alike. Each run records wall-clock requests per second and, from `/proc`,
 * requests per CPU-second of the server; a run during which other processes
 * kept more than `quietCores` busy is repeated (at most `retries` times; the
 * quietest try is kept). Each run puts the server on CPU 0 and the load
 * generator on CPU 1 (`pinForRun`), so every server is measured on the same
 * core.
 */
import autocannon from "autocannon";
import { cpuBetween, pinForRun, readCpu, serverCpuSeconds } from "./cpu-meter";
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
  /**
   * Unmeasured load on the same target right before each measured run (s), so
   * every run starts on a hot server whatever ran before it or how long it
   * sat idle. Default 1.
   */
  primeSec?: number;
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
  pinForRun(target.serverDir);
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

async function primedRun(target: LoadTarget, options: Required<LoadOptions>): Promise<Sample> {
  await pause(options.settleSec);
  if (options.primeSec > 0) await run(target, options.connections, options.primeSec);
  return run(target, options.connections, options.durationSec);
}

async function quietRun(target: LoadTarget, options: Required<LoadOptions>): Promise<Sample> {
  let best = await primedRun(target, options);
  for (let retry = 0; retry < options.retries && best.otherCores > options.quietCores; retry++) {
    const again = await primedRun(target, options);
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
    primeSec: 1,
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
