/**
 * Throughput of several HTTP targets measured side by side: a fixed number
 * of connections for a fixed time per run, runs interleaved round by round
 * (order rotated each round) so drift on a shared machine hits every target
 * alike; the median over rounds is reported.
 */
import autocannon from "autocannon";
import { median, rotate } from "./stats";

/** One URL with the headers to send and the status class every answer must have. */
export interface LoadTarget {
  readonly name: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly expect: "2xx" | "3xx";
}

export interface LoadOptions {
  /** Concurrent connections. Default 10. */
  connections?: number;
  /** Seconds per run. Default 8. */
  durationSec?: number;
  /** Rounds (one run of every target each). Default 4. */
  rounds?: number;
  /** Seconds of unmeasured load per target first (JIT, caches, the JWKS fetch). Default 3. */
  warmupSec?: number;
}

/** Median requests per second of a target, and the answers that were not of the expected class. */
export interface LoadResult {
  readonly rps: number;
  readonly samples: readonly number[];
  readonly unexpected: number;
}

async function run(target: LoadTarget, connections: number, duration: number) {
  const result = await autocannon({ url: target.url, headers: target.headers, connections, duration });
  const answered = result["1xx"] + result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"];
  return { rps: result[target.expect] / result.duration, unexpected: answered - result[target.expect] + result.errors };
}

/** Measures every target; returns results by target name. */
export async function measureLoad(targets: readonly LoadTarget[], options: LoadOptions = {}) {
  const { connections = 10, durationSec = 8, rounds = 4, warmupSec = 3 } = options;
  for (const target of targets) await run(target, connections, warmupSec);
  const samples = new Map<string, { rps: number[]; unexpected: number }>(
    targets.map((t) => [t.name, { rps: [], unexpected: 0 }]),
  );
  for (let round = 0; round < rounds; round++) {
    for (const target of rotate(targets, round)) {
      const { rps, unexpected } = await run(target, connections, durationSec);
      const entry = samples.get(target.name);
      entry?.rps.push(rps);
      if (entry) entry.unexpected += unexpected;
      process.stderr.write(`[bench] round ${round + 1}/${rounds} ${target.name}: ${rps.toFixed(0)} req/s\n`);
    }
  }
  const results = new Map<string, LoadResult>();
  for (const [name, s] of samples) results.set(name, { rps: median(s.rps), samples: s.rps, unexpected: s.unexpected });
  return results;
}
