/**
 * The guard's own cost per request, in one process and without HTTP: what
 * `middleware.ts` runs for a valid cookie on `/dashboard` (the guard, its
 * verified-token cache and revocation feed warm, as under steady traffic)
 * against the empty pass-through middleware (`NextResponse.next()`) of build C.
 *
 * Both get a fresh `NextRequest` per call, built before the timed loop (Next
 * builds it for either middleware), with a browser's headers and a cookie
 * string that is a new, never-hashed copy each time. The feed is fetched over
 * loopback HTTP by `fetchRevocationFeed`, as the edge does, and lists a few
 * hundred revoked sessions, so its background refreshes are in the timing.
 *
 * The HTTP A/C ratio is the guard's cost in place, but on a machine whose runs
 * scatter by more than the guard costs it cannot resolve a few percent; this
 * difference in microseconds, set against C's server CPU per page, can.
 */
import { NextRequest, NextResponse } from "next/server";
import { guard } from "../../lib/edge/guard";
import { createKeySource } from "../../lib/edge/keys";
import { createRevocationList } from "../../lib/edge/revocation";
import { revocationHandle } from "../../lib/edge/revocation-feed";
import { fetchRevocationFeed } from "../../lib/edge/revocation-fetch";
import { createVerifier } from "../../lib/edge/verify";
import { FEED_PATH, startFeedServer } from "../helpers/feed-server";
import { startJwksServer } from "../helpers/jwks-server";
import { AUDIENCE, ISSUER, jwksOf, makeKey, sign } from "../helpers/tokens";
import { median, rotate } from "./stats";

export interface GuardCostOptions {
  /** Timed rounds per side (interleaved); the median is reported. Default 21. */
  rounds?: number;
  /** Calls per round. Default 20000. */
  callsPerRound?: number;
}

/** Median microseconds per call. */
export interface GuardCost {
  /** The empty pass-through middleware: `NextResponse.next()`. */
  readonly emptyUs: number;
  /** `guard()` deciding a valid cookie with everything warm. */
  readonly guardUs: number;
  /** Median over rounds of the per-round difference. */
  readonly deltaUs: number;
  readonly revokedSessions: number;
}

type Middleware = (request: NextRequest) => NextResponse | Promise<NextResponse>;

const BROWSER_HEADERS = {
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "accept-encoding": "gzip, deflate, br",
  "accept-language": "en-GB,en;q=0.9",
  "sec-fetch-dest": "document",
  "sec-fetch-mode": "navigate",
  "sec-fetch-site": "same-origin",
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
};

function requests(cookie: string, n: number): NextRequest[] {
  return Array.from(
    { length: n },
    () =>
      new NextRequest(`${ISSUER}/dashboard`, {
        headers: { ...BROWSER_HEADERS, cookie: Buffer.from(cookie).toString("utf8") },
      }),
  );
}

function timeRound(middleware: Middleware, batch: readonly NextRequest[]): number {
  const started = performance.now();
  for (const request of batch) {
    const response = middleware(request);
    // Warm, the guard answers synchronously: a promise here would mean a cold path in the timing.
    if (!(response instanceof NextResponse) || response.headers.get("x-middleware-next") !== "1") {
      throw new Error("bench: the guard did not pass a valid request synchronously");
    }
  }
  return ((performance.now() - started) * 1000) / batch.length;
}

/** Runs both sides and returns median µs per call. */
export async function measureGuardCost(options: GuardCostOptions = {}): Promise<GuardCost> {
  const { rounds = 21, callsPerRound = 20_000 } = options;
  const key = await makeKey();
  const token = await sign(key, { claims: { sid: "bench-session", exp: Math.floor(Date.now() / 1000) + 3600 } });
  const revokedSessions = 300;
  const sessions = await Promise.all(
    Array.from({ length: revokedSessions }, (_, i) => revocationHandle("sid", `revoked-${i}`)),
  );
  const jwks = await startJwksServer(jwksOf(key));
  const feedServer = await startFeedServer({ mode: "feed" });
  feedServer.setFeed({ version: 1, generatedAt: Math.floor(Date.now() / 1000), sessions, users: {} });
  try {
    const verify = createVerifier({ keys: createKeySource({ jwksUrl: jwks.url }), issuer: ISSUER, audience: AUDIENCE });
    const feedUrl = new URL(FEED_PATH, feedServer.url);
    const revocations = createRevocationList({ load: () => fetchRevocationFeed(feedUrl) });
    const pending: Promise<unknown>[] = [];
    const waitUntil = (promise: Promise<unknown>) => void pending.push(promise);
    // As middleware.ts calls it, with the defaults swapped for the same kinds of objects built here.
    const guarded: Middleware = (request) => guard(request, { verify, revocations, waitUntil });
    const empty: Middleware = () => NextResponse.next();

    const cookie = `better-auth.session_token=bench-session.signature; eg.access=${token}`;
    // Cold: the signature check and the feed's first load, then warm-up runs for the JIT.
    await guarded(requests(cookie, 1)[0] as NextRequest);
    for (const side of [guarded, empty]) timeRound(side, requests(cookie, callsPerRound / 4));
    const samples = { guard: [] as number[], empty: [] as number[], delta: [] as number[] };
    const sides = [
      { name: "guard" as const, run: guarded },
      { name: "empty" as const, run: empty },
    ];
    for (let round = 0; round < rounds; round++) {
      const times = new Map<string, number>();
      for (const side of rotate(sides, round)) {
        const batch = requests(cookie, callsPerRound);
        times.set(side.name, timeRound(side.run, batch));
        // Let background work (a feed refresh over loopback) finish between batches, as between requests.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const [g, e] = [times.get("guard") ?? Number.NaN, times.get("empty") ?? Number.NaN];
      samples.guard.push(g);
      samples.empty.push(e);
      samples.delta.push(g - e);
    }
    await Promise.allSettled(pending);
    return {
      emptyUs: median(samples.empty),
      guardUs: median(samples.guard),
      deltaUs: median(samples.delta),
      revokedSessions,
    };
  } finally {
    await Promise.all([jwks.close(), feedServer.close()]);
  }
}
