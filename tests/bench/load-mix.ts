/**
 * The 60 s mixed load: workers pick an operation by weight (page views with
 * a valid cookie, `/api/me` with a Bearer token, refreshes, sign-ins,
 * sign-outs, forged and expired tokens), and every answer is counted by kind
 * and checked against what it must be: a forged or expired token admitted,
 * or a valid one refused, is a wrong decision.
 */
import { ACCESS_COOKIE } from "@/lib/edge/config";
import type { CookieJar } from "../helpers/http";
import { pageRequest } from "../helpers/http";
import type { DevicePool } from "./load-devices";
import { FORGERIES, forge, signInDevice, tokenOf } from "./load-devices";

/** Operations and their share of the mix. */
export const MIX = { page: 45, api: 20, refresh: 8, signIn: 4, signOut: 3, forged: 12, expired: 8 } as const;
export type Op = keyof typeof MIX;

/** How an answer was judged. */
export type Verdict = "ok" | "expected-429" | "wrong" | "5xx" | "error" | "skipped";

export interface MixResult {
  /** `op status detail` → count. */
  readonly answers: Map<string, { count: number; verdict: Verdict }>;
  /** Latency in ms of every answer, per op. */
  readonly latencies: Map<Op, number[]>;
  readonly seconds: number;
  /** When each 5xx answer was sent, in seconds from the start of the mix. */
  readonly fiveXxAt: readonly number[];
}

export interface MixOptions {
  readonly base: string;
  readonly pool: DevicePool;
  readonly users: readonly { email: string }[];
  readonly password: string;
  readonly workers: number;
  readonly seconds: number;
  /** Refresh a device's token when it has fewer seconds left (as the page's refresher does). */
  readonly refreshLeadSeconds: number;
}

const OPS = Object.entries(MIX).flatMap(([op, weight]) => Array<Op>(weight).fill(op as Op));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;
const now = () => Date.now() / 1000;
const post = (base: string, path: string, jar: CookieJar) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { cookie: jar.header(), origin: base, "content-type": "application/json" },
    body: "{}",
  });

/** Runs one operation; returns its answer's label and verdict. */
async function operate(op: Op, o: MixOptions): Promise<[string, Verdict]> {
  if (op === "signIn") {
    const device = await signInDevice(o.base, pick(o.users).email, o.password);
    if (typeof device === "number") return [`${device}`, device === 429 ? "expected-429" : judge(device, false)];
    o.pool.add(device);
    return ["200", "ok"];
  }
  if (op === "forged" || op === "expired") {
    const sample = o.pool.borrow();
    if (!sample) return ["no device free", "error"];
    const real = tokenOf(sample).token;
    o.pool.release(sample);
    const kind = op === "forged" ? pick(FORGERIES) : "expired";
    const token = kind === "expired" ? o.pool.takeExpired() : await forge(kind, real, o.base);
    if (!token) return ["none expired yet (nothing sent)", "skipped"];
    const asPage = Math.random() < 0.5;
    const response = asPage
      ? await fetch(`${o.base}/dashboard`, pageRequest(`${ACCESS_COOKIE}=${token}`))
      : await fetch(`${o.base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    await response.body?.cancel();
    const refused = asPage
      ? response.status === 307 && (response.headers.get("location") ?? "").includes("/sign-in")
      : response.status === 401;
    return [`${response.status} ${asPage ? "page" : "Bearer"} ${kind}`, refused ? "ok" : judge(response.status, true)];
  }
  const device = o.pool.borrow();
  if (!device) return ["no device free", "error"];
  let keep = true;
  try {
    if (op === "signOut") {
      const response = await post(o.base, "/api/auth/sign-out", device.jar);
      await response.body?.cancel();
      keep = response.status !== 200;
      return [`${response.status}`, response.status === 200 ? "ok" : judge(response.status, false)];
    }
    const before = tokenOf(device);
    if (op === "refresh" || before.exp - now() < o.refreshLeadSeconds) {
      const response = await post(o.base, "/api/auth/refresh", device.jar);
      device.jar.store(response);
      await response.body?.cancel();
      if (response.status === 200) o.pool.retire(before.token);
      if (op === "refresh")
        return [`${response.status}`, response.status === 200 ? "ok" : judge(response.status, false)];
      if (response.status !== 200) return [`${response.status} (refresh before use)`, judge(response.status, false)];
    }
    const { token, exp } = tokenOf(device);
    const response =
      op === "page"
        ? await fetch(`${o.base}/dashboard`, pageRequest(device.jar.header()))
        : await fetch(`${o.base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    const body = await response.text();
    const admitted = response.status === 200 && body.includes(op === "page" ? device.email : device.userId);
    if (admitted) return ["200", "ok"];
    // A token that expired in flight may be sent to the refresh hop (page) or refused (API): that is right.
    if (exp <= now() + 1 && (response.status === 307 || response.status === 401))
      return [`${response.status} expired in flight`, "ok"];
    return [`${response.status}`, judge(response.status, false)];
  } finally {
    if (keep) o.pool.release(device);
  }
}

function judge(status: number, admittedIsWrong: boolean): Verdict {
  if (status >= 500) return "5xx";
  if (admittedIsWrong) return status < 300 ? "wrong" : "error";
  return status === 429 ? "expected-429" : "wrong";
}

/** Runs the mix for `seconds` with `workers` concurrent loops. */
export async function runMix(o: MixOptions): Promise<MixResult> {
  const answers = new Map<string, { count: number; verdict: Verdict }>();
  const latencies = new Map<Op, number[]>();
  const fiveXxAt: number[] = [];
  const end = performance.now() + o.seconds * 1000;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < end) {
      const op = pick(OPS);
      const t0 = performance.now();
      let label: string;
      let verdict: Verdict;
      try {
        [label, verdict] = await operate(op, o);
      } catch (error) {
        [label, verdict] = [`exception ${(error as Error).name}`, "error"];
      }
      const key = `${op} ${label}`;
      const entry = answers.get(key) ?? { count: 0, verdict };
      entry.count++;
      answers.set(key, entry);
      if (verdict === "5xx") fiveXxAt.push((t0 - started) / 1000);
      if (verdict === "skipped") continue;
      if (!latencies.has(op)) latencies.set(op, []);
      latencies.get(op)?.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: o.workers }, worker));
  return { answers, latencies, seconds: (performance.now() - started) / 1000, fiveXxAt };
}
