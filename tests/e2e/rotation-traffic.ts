/**
 * Continuous traffic against one `next start` instance, counted: signed-up
 * clients that keep asking for `/api/me` (cookie and Bearer) and `/dashboard`,
 * and renew their access JWT through `POST /api/auth/refresh`, so that every
 * key the app signs with is used at once. Anything but a 200 is a rejection.
 */
import { decodeProtectedHeader } from "jose";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import { CookieJar, pageRequest, uniqueEmail } from "../helpers/http";

let address = 0;

/** What the traffic saw, per request kind. */
export interface TrafficCounts {
  requests: number;
  rejected: number;
  refreshes: number;
  /** Refreshes answered 503 because the database was unreachable (not a rejection: nobody is signed out). */
  unavailable: number;
  /** Successful verified requests per `kid` of the token they carried. */
  byKid: Map<string, number>;
  /** The first few rejections, for the failure message. */
  failures: string[];
}

/** A running traffic generator. */
export interface Traffic {
  readonly counts: TrafficCounts;
  /** Starts the loops (clients already signed up). */
  start(): void;
  /** Stops and waits for the loops to finish their current request. */
  stop(): Promise<TrafficCounts>;
  /** Resolves once `predicate(counts)` holds (polling; no timing asserted). */
  until(predicate: (counts: TrafficCounts) => boolean, timeoutMs?: number): Promise<void>;
  /** A fresh access JWT for the first client (refresh now), to read the signing kid. */
  freshKid(): Promise<string | undefined>;
}

const kidOf = (token: string | undefined) => (token ? decodeProtectedHeader(token).kid : undefined);

/** Signs up `clients` users on `url` and returns a traffic generator over them. */
export async function createTraffic(url: string, clients = 3): Promise<Traffic> {
  const jars: CookieJar[] = [];
  for (let i = 0; i < clients; i++) {
    const jar = new CookieJar();
    // Sign-ups are rate limited per address (shared through the database): each client gets its own,
    // through the header the instances are told to trust (AUTH_TRUSTED_IP_HEADER=x-real-ip).
    const response = await fetch(`${url}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: url, "x-real-ip": `198.51.100.${++address}` },
      body: JSON.stringify({ email: uniqueEmail("rot"), password: "correct-horse-1", name: "R" }),
    });
    if (response.status !== 200) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
    jar.store(response);
    jars.push(jar);
  }
  const counts: TrafficCounts = {
    requests: 0,
    rejected: 0,
    refreshes: 0,
    unavailable: 0,
    byKid: new Map(),
    failures: [],
  };
  let running = false;
  let loops: Promise<void>[] = [];

  async function counted(what: string, token: string | undefined, request: Promise<Response>): Promise<void> {
    counts.requests++;
    const response = await request.catch(() => Response.json({ error: "network" }, { status: 599 }));
    await response.arrayBuffer();
    if (response.status !== 200) {
      counts.rejected++;
      if (counts.failures.length < 5) {
        counts.failures.push(
          `${what} kid=${kidOf(token)} → ${response.status} ${response.headers.get("server-timing")}`,
        );
      }
      return;
    }
    const kid = kidOf(token) ?? "none";
    counts.byKid.set(kid, (counts.byKid.get(kid) ?? 0) + 1);
  }

  async function refresh(jar: CookieJar): Promise<void> {
    const response = await fetch(`${url}/api/auth/refresh`, {
      method: "POST",
      headers: { cookie: jar.header() },
    }).catch(() => Response.json({ error: "network" }, { status: 599 }));
    counts.requests++;
    counts.refreshes++;
    const body = await response.text();
    if (response.status === 503 && body.includes("auth_unavailable")) {
      // The session store could not be reached (a database connection timeout on a loaded machine): the
      // kit's answer to an outage, nothing to do with keys. Counted apart; the client keeps its token.
      counts.unavailable++;
    } else if (response.status !== 200) {
      counts.rejected++;
      counts.failures.push(`refresh → ${response.status} ${body.slice(0, 200)}`);
    }
    jar.store(response);
  }

  async function loop(jar: CookieJar): Promise<void> {
    let round = 0;
    while (running) {
      const token = jar.get(ACCESS_COOKIE);
      await counted("GET /api/me (cookie)", token, fetch(`${url}/api/me`, { headers: { cookie: jar.header() } }));
      await counted(
        "GET /api/me (Bearer)",
        token,
        fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } }),
      );
      await counted("GET /dashboard", token, fetch(`${url}/dashboard`, pageRequest(jar.header())));
      if (++round % 3 === 0) await refresh(jar);
    }
  }

  return {
    counts,
    start() {
      running = true;
      loops = jars.map((jar) => loop(jar));
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      return counts;
    },
    async until(predicate, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(counts)) {
        if (Date.now() > deadline) throw new Error(`traffic condition not met: ${JSON.stringify(summary(counts))}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async freshKid() {
      const jar = jars[0] as CookieJar;
      await refresh(jar);
      return kidOf(jar.get(ACCESS_COOKIE));
    },
  };
}

/** A printable summary of the counts. */
export function summary(counts: TrafficCounts) {
  return {
    requests: counts.requests,
    rejected: counts.rejected,
    refreshes: counts.refreshes,
    unavailable: counts.unavailable,
    byKid: Object.fromEntries(counts.byKid),
    failures: counts.failures,
  };
}
