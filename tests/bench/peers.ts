/**
 * `npm run bench -- --peers`: the kit's guard against what Better Auth users
 * write instead, on one commit and one PostgreSQL 15: Better Auth's
 * documented Next 16 `proxy.ts` (`auth.api.getSession` on every request),
 * and the same with `session.cookieCache`. Throughput of a guarded page
 * under load (requests per CPU-second of the server and the database
 * together), database queries per request, and what each answers while the
 * database is stopped. Writes `tests/bench/results-peers.md`. (The guard
 * against an empty middleware is the main `npm run bench`.)
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { signUpUser } from "../helpers/admin-http";
import type { AppCopy, MiddlewareVariant } from "../helpers/app-copy";
import { buildAppCopy, COOKIE_CACHE_SECONDS } from "../helpers/app-copy";
import { pageRequest, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";
import type { BenchDb } from "./bench-db";
import { startBenchDb } from "./bench-db";
import type { LoadOptions, LoadResult } from "./http-load";
import { measureLoad } from "./http-load";
import { fmt, median, pairedRatio, ratio } from "./stats";

interface Peer {
  readonly name: string;
  readonly label: string;
  readonly middleware: MiddlewareVariant;
  copy?: AppCopy;
  server?: NextServer;
  cookie?: string;
}

const PEERS: readonly Omit<Peer, "copy" | "server" | "cookie">[] = [
  { name: "kit", label: "(A) the kit's guard (`middleware.ts`, Edge, JWT)", middleware: "as-is" },
  { name: "ba", label: "(G) Better Auth `proxy.ts`: `getSession` per request", middleware: "ba-session" },
  {
    name: "ba-cache",
    label: `(K) the same with \`session.cookieCache\` (${COOKIE_CACHE_SECONDS} s)`,
    middleware: "ba-cookie-cache",
  },
];

/** What one build answered with the database stopped. */
interface Outage {
  readonly statuses: Record<string, number>;
  readonly slowestMs: number;
}

async function start(peer: Peer, db: BenchDb): Promise<void> {
  if (!peer.copy) throw new Error("bench: not built");
  peer.server = await startNext({
    cwd: peer.copy.dir,
    env: { DATABASE_URL: db.url, BETTER_AUTH_SECRET: db.secret, AUTH_JWT_TTL: "3600" },
  });
  const email = uniqueEmail(`peer-${peer.name}`);
  const { status, jar } = await signUpUser(peer.server.url, { email, password: "correct-horse-1", name: "Peer" });
  if (status !== 200) throw new Error(`bench: sign-up on ${peer.name} answered ${status}`);
  peer.cookie = jar.header();
  const page = await fetch(`${peer.server.url}/dashboard`, pageRequest(peer.cookie));
  if (page.status !== 200 || !(await page.text()).includes(email))
    throw new Error(`bench: /dashboard on ${peer.name} answered ${page.status} without the user's email`);
  const anonymous = await fetch(`${peer.server.url}/dashboard`, pageRequest());
  if (anonymous.status !== 307) throw new Error(`bench: anonymous /dashboard on ${peer.name}: ${anonymous.status}`);
}

async function pages(peer: Peer, count: number): Promise<void> {
  for (let i = 0; i < count; i += 10) {
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const r = await fetch(`${peer.server?.url}/dashboard`, pageRequest(peer.cookie));
        await r.body?.cancel();
      }),
    );
  }
}

async function duringOutage(peer: Peer, requests: number): Promise<Outage> {
  const statuses: Record<string, number> = {};
  let slowestMs = 0;
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    let key: string;
    try {
      const response = await fetch(`${peer.server?.url}/dashboard`, {
        ...pageRequest(peer.cookie),
        signal: AbortSignal.timeout(30_000),
      });
      const body = await response.text();
      const location = response.headers.get("location");
      key = `${response.status}${location ? ` → ${new URL(location, "http://x").pathname}` : ""}`;
      if (response.status === 200 && !body.includes("Dashboard")) key = "200 (not the page)";
    } catch (error) {
      key = (error as Error).name === "TimeoutError" ? "no answer in 30 s" : "connection error";
    }
    statuses[key] = (statuses[key] ?? 0) + 1;
    slowestMs = Math.max(slowestMs, performance.now() - started);
  }
  return { statuses, slowestMs };
}

export interface PeersOptions extends LoadOptions {
  readonly revision: string;
  readonly context: string;
  readonly command: string;
  readonly quick: boolean;
  readonly log: (line: string) => void;
  /** Extra options for the kit's build (`--load` reuses it: one build fewer). */
  readonly kitAuthOverrides?: string;
  /** Runs with the kit's build and the database before they are removed (`--peers --load`). */
  readonly afterPeers?: (kit: AppCopy, db: BenchDb) => Promise<string>;
}

/** Builds, measures, reports; returns the markdown. */
export async function runPeers(options: PeersOptions): Promise<string> {
  const peers: Peer[] = PEERS.map((p) => ({ ...p }));
  const db = await startBenchDb();
  try {
    for (const peer of peers) {
      options.log(`[bench] next build (${peer.name}: ${peer.middleware})…`);
      const authOverrides = peer.name === "kit" ? options.kitAuthOverrides : undefined;
      peer.copy = await buildAppCopy({ middleware: peer.middleware, revision: options.revision, authOverrides });
    }
    await db.migrate(peers[0]?.copy?.dir as string);
    for (const peer of peers) await start(peer, db);
    options.log("[bench] database queries per page…");
    const perPage = new Map<string, number>();
    const sample = options.quick ? 50 : 200;
    for (const peer of peers) perPage.set(peer.name, (await db.countQueries(() => pages(peer, sample))) / sample);
    options.log("[bench] HTTP load…");
    const targets = peers.map((peer) => ({
      name: peer.name,
      url: `${peer.server?.url}/dashboard`,
      headers: { accept: "text/html", "sec-fetch-dest": "document", cookie: peer.cookie ?? "" },
      expect: "2xx" as const,
      serverDir: peer.copy?.dir as string,
      alsoCpuOf: [db.dataDir],
    }));
    const load = await measureLoad(targets, options);
    options.log("[bench] database stopped…");
    await db.server.stop();
    const outages = new Map<string, Outage>();
    for (const peer of peers) outages.set(peer.name, await duringOutage(peer, options.quick ? 2 : 5));
    await db.server.start();
    const report = render({ peers, load, perPage, outages, options });
    if (!options.quick) await writeFile(path.join(import.meta.dirname, "results-peers.md"), report);
    for (const peer of peers) await peer.server?.stop();
    const after = options.afterPeers ? await options.afterPeers(peers[0]?.copy as AppCopy, db) : "";
    return `${report}\n${after}`;
  } finally {
    for (const peer of peers) await peer.server?.stop();
    for (const peer of peers) await peer.copy?.remove();
    await db.remove();
  }
}

function render(input: {
  peers: readonly Peer[];
  load: Map<string, LoadResult>;
  perPage: Map<string, number>;
  outages: Map<string, Outage>;
  options: PeersOptions;
}): string {
  const { peers, load, perPage, outages, options } = input;
  const get = (name: string) => load.get(name) as LoadResult;
  const kit = get("kit");
  const others = [...load.values()].flatMap((r) => r.otherCores);
  const rows = peers.map((peer) => {
    const r = get(peer.name);
    const vs = pairedRatio(kit.perCpuSamples, r.perCpuSamples);
    const outage = outages.get(peer.name) as Outage;
    const answers = Object.entries(outage.statuses)
      .map(([k, n]) => `${n}× ${k}`)
      .join(", ");
    const warn = r.unexpected > 0 ? ` ⚠ ${r.unexpected} unexpected` : "";
    return `| ${peer.label} | ${fmt(r.perCpu)} | ${fmt(r.rps)}${warn} | ${peer.name === "kit" ? "1×" : `**${ratio(vs.median)}** (${ratio(vs.min)}–${ratio(vs.max)})`} | ${fmt(perPage.get(peer.name) ?? Number.NaN)} | ${answers}; slowest ${fmt(outage.slowestMs)} ms |`;
  });
  return [
    "## Peers: the kit's guard against Better Auth's own Next 16 patterns",
    "",
    `${options.context}. Reproduce with \`${options.command}\`. Every build on one PostgreSQL 15 (local, through the kit's Neon driver and bridge).`,
    "",
    `\`/dashboard\` with a valid session, ${options.connections ?? 10} connections, ${options.durationSec ?? 4} s per run, ${options.rounds ?? 10} interleaved rounds. CPU is the app server's **plus the database's**. Other processes kept a median of ${fmt(median(others))} cores busy.`,
    "",
    "| build | req per CPU-second (server + DB) | req/s wall | kit ÷ this (per CPU-s, per round) | DB queries per page | database stopped: answers to a signed-in page |",
    "|---|---:|---:|---:|---:|---|",
    ...rows,
    "",
  ].join("\n");
}
