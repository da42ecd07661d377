/**
 * Renders one benchmark run as a compact markdown report: absolute numbers
 * for context, ratios against baselines measured in the same run as results.
 */
import type { BundleSize } from "./bundle-size";
import type { GuardCost } from "./guard-cost";
import type { LoadResult } from "./http-load";
import { fmt, median, pairedRatio, ratio, verdict } from "./stats";
import type { VerifyCost } from "./verify-cost";

export interface BenchSettings {
  readonly verifyRounds: number;
  readonly connections: number;
  /** Seconds per run in the A/C pairs (the headline ratio). */
  readonly pairDurationSec: number;
  /** Seconds of unmeasured load on each side of the A/C pairs before their first round. */
  readonly pairWarmupSec: number;
  /** Seconds per run in the other rounds (C/B, the redirect). */
  readonly durationSec: number;
  /** Rounds of A/C pairs; the other comparisons get half as many. */
  readonly rounds: number;
  /** Outside load (cores) above which an HTTP run is retried. */
  readonly quietCores: number;
  readonly retries: number;
}

export interface BenchResults {
  /** One line on where and what was measured (date, commit, machine). */
  readonly context: string;
  /** The command line that reproduces the run. */
  readonly command: string;
  readonly settings: BenchSettings;
  readonly verify: VerifyCost;
  /** The guard's own code against an empty middleware, in process (`guard-cost.ts`). */
  readonly guard: GuardCost;
  readonly http: {
    /** The guard as `proxy.ts` on Node (`--proxy` only). */
    readonly pageP?: LoadResult;
    /** A and C, measured in pairs of their own. */
    readonly pageA: LoadResult;
    readonly pageC: LoadResult;
    /** C and B (and P), measured in rounds of their own. */
    readonly pageCb: LoadResult;
    readonly pageB: LoadResult;
    readonly redirectA: LoadResult;
    /** C's page measured in the redirect's own rounds. */
    readonly redirectC: LoadResult;
    /** `--control`: C against D, a second empty build, in pairs like A/C: what the harness alone reads as a difference. */
    readonly controlC?: LoadResult;
    readonly controlD?: LoadResult;
  };
  readonly bundle: { readonly A: BundleSize; readonly C: BundleSize };
}

const KiB = 1024;

function verifySection({ verify, settings }: BenchResults): string[] {
  const b = verify.verifierUs / verify.rawUs;
  const c = verify.cacheHitUs / verify.rawUs;
  return [
    `### Verify cost per request (token of ${verify.tokenLength} chars, median of ${settings.verifyRounds} interleaved rounds)`,
    "",
    "| | µs/op | vs (a) | target | |",
    "|---|---:|---:|---|---|",
    `| (a) raw WebCrypto Ed25519: split, decode, \`crypto.subtle.verify\` (the floor) | ${fmt(verify.rawUs)} | 1× | | |`,
    `| (b) guard verifier, warm remote JWKS, \`cacheEntries: 0\` | ${fmt(verify.verifierUs)} | ${ratio(b)} | ≤ 1.3× | ${verdict(b <= 1.3)} |`,
    `| (c) verified-token cache hit, token as a fresh string | ${fmt(verify.cacheHitUs)} | ${ratio(c)} | ≤ 0.02× | ${verdict(c <= 0.02)} |`,
    `| for reference: \`crypto.subtle.verify\` alone on pre-decoded bytes | ${fmt(verify.rawPredecodedUs)} | ${ratio(verify.rawPredecodedUs / verify.rawUs)} | | |`,
  ];
}

function ratioRow(label: string, xs: LoadResult, ys: LoadResult, target?: number): string {
  const cpu = pairedRatio(xs.perCpuSamples, ys.perCpuSamples);
  const wall = pairedRatio(xs.samples, ys.samples);
  const check = target === undefined ? "(reported) | " : `≥ ${target}× | ${verdict(cpu.median >= target)}`;
  return `| ${label} | **${ratio(cpu.median)}** (${ratio(cpu.min)}–${ratio(cpu.max)}) | ${ratio(wall.median)} | ${check} |`;
}

function row(build: string, request: string, r: LoadResult): string {
  const warn = r.unexpected > 0 ? ` ⚠ ${r.unexpected} unexpected answers` : "";
  return `| ${build} | ${request} | ${fmt(r.perCpu)} | ${fmt(r.rps)}${warn} |`;
}

function outsideLoad({ http, settings }: BenchResults): string {
  const runs = [
    http.pageA,
    http.pageB,
    http.pageC,
    http.pageCb,
    http.redirectA,
    http.redirectC,
    ...(http.pageP ? [http.pageP] : []),
    ...(http.controlC && http.controlD ? [http.controlC, http.controlD] : []),
  ];
  const all = runs.flatMap((r) => r.otherCores);
  const loud = all.filter((c) => c > settings.quietCores).length;
  return (
    `Other processes kept a median of ${fmt(median(all))} cores busy during the kept runs (max ${fmt(Math.max(...all))}); ` +
    `${loud} of ${all.length} runs stayed above ${settings.quietCores} cores after up to ${settings.retries} retries.`
  );
}

function httpSection(results: BenchResults): string[] {
  const { http, settings } = results;
  const { pageA, pageB, pageC, pageCb, redirectA, redirectC } = http;
  const page = "`/dashboard`, valid cookie → 200";
  const half = Math.max(1, Math.round(settings.rounds / 2));
  return [
    `### HTTP throughput, \`next start\` (${settings.connections} connections; A/C: ${settings.pairWarmupSec} s warm-up each, then ${settings.rounds} rounds of ${settings.pairDurationSec} s runs${http.controlC ? `; C/D the same in ${half} rounds` : ""}; the rest: ${half} rounds of ${settings.durationSec} s)`,
    "",
    "| build | request | req per server CPU-second | req/s wall clock |",
    "|---|---|---:|---:|",
    row("(A) as is", page, pageA),
    row("(C) empty pass-through middleware, same matcher", page, pageC),
    row("(C) again, in the rounds against B", page, pageCb),
    row("(B) no middleware", page, pageB),
    row("(A) as is", "`/dashboard`, no cookie → 307", redirectA),
    ...(http.pageP ? [row("(P) the guard as `proxy.ts` (Node)", page, http.pageP)] : []),
    ...(http.controlC && http.controlD
      ? [
          row("(C) again, in the control rounds against D", page, http.controlC),
          row("(D) a second, identical empty build: the control", page, http.controlD),
        ]
      : []),
    "",
    "Ratios are taken per round (runs next to each other in time), then the median (range in brackets).",
    "They use requests per CPU-second of the server process, which other load on a shared machine",
    "moves less than wall-clock throughput (shown beside it). Every measured run follows a 1 s pause and 1 s of unmeasured",
    "load on the same server, so it starts hot whatever ran before it. A/C starts with a long warm-up of each side, as a",
    "server in production has long reached its steady state (the guard's code has more for V8 to optimise than an empty",
    "middleware, and measured from a fresh start its first rounds read low). Each comparison has rounds of its own, its two",
    "sides alternating which runs first: A/C first, then C/B, then A's redirect against C's page (a redirect run leaves",
    "the load generator with garbage that would slow the next page run).",
    outsideLoad(results),
    "",
    "| ratio | per CPU-second | wall clock | target | |",
    "|---|---:|---:|---|---|",
    ratioRow("A / C, protected page: the guard's own cost", pageA, pageC, 0.97),
    ratioRow("C / B, protected page: Next's fixed cost of running any middleware", pageCb, pageB),
    ratioRow("A's redirect / C's page (rounds of their own)", redirectA, redirectC, 1),
    ...(http.pageP ? [ratioRow("P / B: the guard as `proxy.ts` against no middleware", http.pageP, pageB)] : []),
    ...(http.controlC && http.controlD
      ? [ratioRow("C / D, two identical builds: the harness's own spread", http.controlC, http.controlD)]
      : []),
  ];
}

/**
 * The guard's own microseconds set against what C's server spends on a page:
 * the A/C ratio they imply, free of the run-to-run scatter of HTTP rounds.
 */
function guardCostSection({ guard, http, settings }: BenchResults): string[] {
  const pageUs = 1e6 / http.pageC.perCpu;
  const implied = pageUs / (pageUs + guard.deltaUs);
  return [
    `### The guard's own code per request, no HTTP (median of ${settings.verifyRounds} interleaved rounds)`,
    "",
    "| | µs/request | |",
    "|---|---:|---|",
    `| (e) empty pass-through middleware: \`NextResponse.next()\` | ${fmt(guard.emptyUs)} | |`,
    `| (g) \`guard()\`, valid cookie on \`/dashboard\`, token cache and feed (${guard.revokedSessions} revoked sessions) warm | ${fmt(guard.guardUs)} | |`,
    `| (g) − (e): what A's middleware adds to C's, per request | **${fmt(guard.deltaUs)}** | |`,
    `| C's server CPU per page (1 / its req per CPU-second in the A/C rounds) | ${fmt(pageUs)} | |`,
    "",
    "| ratio | value | target | |",
    "|---|---:|---|---|",
    `| A / C implied: C's CPU per page / (it + (g) − (e)) | **${ratio(implied)}** | ≥ 0.97× | ${verdict(implied >= 0.97)} |`,
    "",
    "Each call gets a fresh `NextRequest` (built outside the timing: Next builds one for either middleware) with a",
    "browser's headers and the session and access cookies as a never-hashed string; the revocation feed is fetched",
    "over loopback by `fetchRevocationFeed` and refreshed in the background between batches, as at the edge. Measured",
    "in Node's own context, not Next's edge sandbox, so it leaves out whatever the sandbox adds to any code.",
  ];
}

function bundleSection({ bundle }: BenchResults): string[] {
  const diff = (bundle.A.gzipBytes - bundle.C.gzipBytes) / KiB;
  const row = (label: string, s: BundleSize) =>
    `| ${label} | ${s.files} | ${fmt(s.rawBytes / KiB)} | ${fmt(s.gzipBytes / KiB)} |`;
  return [
    "### Edge middleware bundle (files in `middleware-manifest.json`, gzip -9)",
    "",
    "| build | files | KiB | KiB gzip |",
    "|---|---:|---:|---:|",
    row("(A) as is", bundle.A),
    row("(C) empty pass-through", bundle.C),
    "",
    `A − C: **${diff >= 0 ? "+" : ""}${fmt(diff)} KiB gzip** (target ≤ +15 KiB) ${verdict(diff <= 15)}`,
  ];
}

/** The whole report as markdown. */
export function renderReport(results: BenchResults): string {
  return [
    "## Benchmark results",
    "",
    `${results.context}. Reproduce with \`${results.command}\`.`,
    "",
    ...verifySection(results),
    "",
    ...httpSection(results),
    "",
    ...guardCostSection(results),
    "",
    ...bundleSection(results),
    "",
  ].join("\n");
}
