/**
 * Renders one benchmark run as a compact markdown report: absolute numbers
 * for context, ratios against baselines measured in the same run as results.
 */
import type { BundleSize } from "./bundle-size";
import type { LoadResult } from "./http-load";
import { fmt, ratio, verdict } from "./stats";
import type { VerifyCost } from "./verify-cost";

export interface BenchSettings {
  readonly verifyRounds: number;
  readonly connections: number;
  readonly durationSec: number;
  readonly rounds: number;
}

export interface BenchResults {
  /** One line on where and what was measured (date, commit, machine). */
  readonly context: string;
  readonly settings: BenchSettings;
  readonly verify: VerifyCost;
  readonly http: {
    readonly pageA: LoadResult;
    readonly pageC: LoadResult;
    readonly pageB: LoadResult;
    readonly redirectA: LoadResult;
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

function flagged(result: LoadResult): string {
  return result.unexpected > 0 ? ` (⚠ ${result.unexpected} unexpected answers)` : "";
}

function httpSection({ http, settings }: BenchResults): string[] {
  const { pageA, pageB, pageC, redirectA } = http;
  const ac = pageA.rps / pageC.rps;
  const cb = pageC.rps / pageB.rps;
  const rc = redirectA.rps / pageC.rps;
  return [
    `### HTTP throughput, \`next start\` (${settings.connections} connections, ${settings.durationSec} s per run, ${settings.rounds} interleaved rounds, median)`,
    "",
    "| build | request | req/s |",
    "|---|---|---:|",
    `| (A) as is | \`/dashboard\` with a valid cookie → 200 | ${fmt(pageA.rps)}${flagged(pageA)} |`,
    `| (C) empty pass-through middleware, same matcher | \`/dashboard\` with a valid cookie → 200 | ${fmt(pageC.rps)}${flagged(pageC)} |`,
    `| (B) no middleware | \`/dashboard\` with a valid cookie → 200 | ${fmt(pageB.rps)}${flagged(pageB)} |`,
    `| (A) as is | \`/dashboard\` without a cookie → 307 | ${fmt(redirectA.rps)}${flagged(redirectA)} |`,
    "",
    "| ratio | value | target | |",
    "|---|---:|---|---|",
    `| A / C, protected page: the guard's own cost | ${ratio(ac)} | ≥ 0.9× | ${verdict(ac >= 0.9)} |`,
    `| C / B, protected page: Next's fixed cost of running any middleware | ${ratio(cb)} | (reported) | |`,
    `| A's redirect / C's page | ${ratio(rc)} | ≥ 1.0× | ${verdict(rc >= 1)} |`,
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
    `${results.context}. Reproduce with \`npm run bench\`.`,
    "",
    ...verifySection(results),
    "",
    ...httpSection(results),
    "",
    ...bundleSection(results),
    "",
  ].join("\n");
}
