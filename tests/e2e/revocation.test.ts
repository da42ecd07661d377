/**
 * Revocation over real HTTP: two `next start` instances (A and B) on one
 * PostgreSQL 15, behind a loopback origin that plays the load balancer
 * (`BETTER_AUTH_URL`, forwarding to B, able to break the feed on demand).
 * Each revoking action is taken on A; the revoked device must be refused on
 * B (and A) within `AUTH_REVOCATION_INTERVAL` + 2 s, polled generously, with
 * its access JWT as the cookie alone and as `Authorization: Bearer`; every
 * other device keeps its access. Then the database is stopped (what was
 * revoked stays refused, everyone else keeps access) and the feed is made
 * unreachable, slow, malformed and huge (no request blocks or fails).
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import type { FeedMode, FeedServer } from "../helpers/feed-server";
import { startFeedServer } from "../helpers/feed-server";
import { CookieJar, locationPath, pageRequest, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { ROOT, startNext } from "../helpers/next-server";
import { freePort } from "../helpers/ports";
import type { PostgresServer } from "../helpers/postgres";
import { skipWithoutPostgres, startPostgres } from "../helpers/postgres";
import type { SmtpServer } from "../helpers/smtp";
import { onlyLink, startSmtp } from "../helpers/smtp";

const run = promisify(execFile);
const skip = skipWithoutPostgres("revocation across two instances", { needsControl: true });
const PASSWORD = "correct-horse-1";
const INTERVAL_SECONDS = 10; // the default AUTH_REVOCATION_INTERVAL
const BOUND_MS = (INTERVAL_SECONDS + 2) * 1000;
const POLL_DEADLINE_MS = 90_000; // generous: a loaded 2-core machine, never a stopwatch
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Device {
  readonly jar: CookieJar;
  /** The access JWT as issued at sign-in (kept even after the jar clears it). */
  readonly token: string;
}

type Verdict = "accepted" | "refused" | "mixed" | "other";

/** An API answer: `ok` (200), `revoked` (401 with reason `revoked`), or `bad`. */
async function api(response: Response): Promise<"ok" | "revoked" | "bad"> {
  const text = await response.text();
  if (response.status === 200) return "ok";
  if (response.status !== 401) return "bad";
  try {
    return (JSON.parse(text) as { reason?: unknown }).reason === "revoked" ? "revoked" : "bad";
  } catch {
    return "bad";
  }
}

describe.skipIf(skip)("revocation over HTTP (two next start on one PostgreSQL 15)", () => {
  let pg: PostgresServer;
  let origin: FeedServer;
  let a: NextServer;
  let b: NextServer;
  let smtp: SmtpServer;
  const adminEmail = uniqueEmail("rev-admin");
  const servers = () => [a, b] as const;

  async function post(server: NextServer, route: string, body: unknown, jar?: CookieJar): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { "content-type": "application/json", origin: origin.url };
      if (jar) headers.cookie = jar.header();
      const response = await fetch(`${server.url}/api/auth${route}`, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
      });
      if (response.status !== 429 || attempt > 5) {
        jar?.store(response);
        return response;
      }
      await sleep(1000 * Number(response.headers.get("x-retry-after") ?? 2)); // a rate limit, not a result
    }
  }

  async function device(email: string, create = false): Promise<Device> {
    const jar = new CookieJar();
    const body = create ? { email, password: PASSWORD, name: "Rev" } : { email, password: PASSWORD };
    const response = await post(a, create ? "/sign-up/email" : "/sign-in/email", body, jar);
    expect(response.status, await response.clone().text()).toBe(200);
    return { jar, token: jar.get(ACCESS_COOKIE) as string };
  }

  /**
   * What `server` does with `token` on /api/me (cookie alone, then Bearer) and /dashboard (cookie
   * alone): all accepted, all refused as revoked, a mix (the feed changed between the requests), or
   * `other` when any answer is neither (a 500, another reason, another redirect).
   */
  async function verdict(server: NextServer, token: string): Promise<Verdict> {
    const cookie = `${ACCESS_COOKIE}=${token}`;
    const answers = await Promise.all([
      fetch(`${server.url}/api/me`, { headers: { cookie } }).then(api),
      fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } }).then(api),
      fetch(`${server.url}/dashboard`, pageRequest(cookie)).then(async (page) => {
        await page.text();
        if (page.status === 200) return "ok";
        return page.status === 307 && locationPath(page).startsWith("/sign-in?next=%2Fdashboard") ? "revoked" : "bad";
      }),
    ]);
    if (answers.every((x) => x === "ok")) return "accepted";
    if (answers.every((x) => x === "revoked")) return "refused";
    return answers.includes("bad") ? "other" : "mixed";
  }

  /** Polls until `token` is refused everywhere; the time it took, from `since`. */
  async function refusedWithin(token: string, since: number): Promise<number> {
    const deadline = since + POLL_DEADLINE_MS;
    for (;;) {
      const verdicts = await Promise.all(servers().map((s) => verdict(s, token)));
      if (verdicts.every((v) => v === "refused")) return Date.now() - since;
      expect(verdicts.includes("other"), `unexpected answer: ${verdicts}`).toBe(false);
      if (Date.now() > deadline) throw new Error(`still not refused after ${POLL_DEADLINE_MS} ms: ${verdicts}`);
      await sleep(250);
    }
  }

  async function expectAccepted(...tokens: string[]): Promise<void> {
    for (const token of tokens) for (const server of servers()) expect(await verdict(server, token)).toBe("accepted");
  }

  beforeAll(async () => {
    pg = await startPostgres({ needsControl: true });
    await run(path.join(ROOT, "node_modules/.bin/tsx"), ["lib/cli/migrate.ts"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: pg.url },
    });
    const [portA, portB] = [await freePort(), await freePort()];
    origin = await startFeedServer({ target: `http://127.0.0.1:${portB}` });
    smtp = await startSmtp(); // the reset mail
    const env = {
      DATABASE_URL: pg.url,
      BETTER_AUTH_URL: origin.url,
      AUTH_ADMIN_EMAILS: adminEmail,
      SMTP_URL: smtp.url,
    };
    a = await startNext({ port: portA, env });
    b = await startNext({ port: portB, env });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await origin?.close();
    await smtp?.stop();
    await pg?.remove();
  });

  /** A user with two devices (signed in on A). */
  async function pair(prefix: string) {
    const email = uniqueEmail(prefix);
    const here = await device(email, true);
    const there = await device(email);
    return { email, here, there };
  }

  async function sessionTokenOf(of: Device, asking: Device): Promise<string> {
    const response = await fetch(`${a.url}/api/auth/list-sessions`, {
      headers: { cookie: asking.jar.header(), origin: origin.url },
    });
    const { sid } = decodeJwt(of.token) as { sid: string };
    return ((await response.json()) as Array<{ id: string; token: string }>).find((s) => s.id === sid)?.token ?? "";
  }

  type Pair = Awaited<ReturnType<typeof pair>>;
  interface Case {
    name: string;
    act: (p: Pair) => Promise<Response>;
    revokes: Array<"here" | "there">;
    /** Left alone (not revoked by the action); checked after. */
    keeps: Array<"here" | "there">;
  }
  const cases: Case[] = [
    { name: "sign-out", act: (p) => post(a, "/sign-out", {}, p.here.jar), revokes: ["here"], keeps: ["there"] },
    {
      name: "revoke-sessions",
      act: (p) => post(a, "/revoke-sessions", {}, p.here.jar),
      revokes: ["here", "there"],
      keeps: [],
    },
    {
      name: "revoke-session",
      act: async (p) => post(a, "/revoke-session", { token: await sessionTokenOf(p.there, p.here) }, p.here.jar),
      revokes: ["there"],
      keeps: ["here"],
    },
    {
      name: "revoke-other-sessions",
      act: (p) => post(a, "/revoke-other-sessions", {}, p.here.jar),
      revokes: ["there"],
      keeps: ["here"],
    },
    {
      name: "change-password with revokeOtherSessions",
      act: (p) =>
        post(
          a,
          "/change-password",
          { currentPassword: PASSWORD, newPassword: "Quartz-lantern-fjord-81", revokeOtherSessions: true },
          p.here.jar,
        ),
      revokes: ["here", "there"],
      keeps: [],
    },
    {
      name: "reset-password",
      act: async (p) => {
        const asked = await post(a, "/request-password-reset", { email: p.email, redirectTo: "/reset-password" });
        expect(asked.status).toBe(200);
        const token = new URL(onlyLink(await smtp.waitForMail(p.email, { timeoutMs: 60_000 }))).searchParams.get(
          "token",
        );
        return post(a, "/reset-password", { token, newPassword: "Velvet-cobalt-harbor-72" });
      },
      revokes: ["here", "there"],
      keeps: [],
    },
    {
      name: "delete-user with the password",
      act: (p) => post(a, "/delete-user", { password: PASSWORD }, p.here.jar),
      revokes: ["here", "there"],
      keeps: [],
    },
    {
      name: "admin ban-user",
      act: async (p) => {
        const root = await device(adminEmail);
        const { sub } = decodeJwt(p.here.token) as { sub: string };
        return post(a, "/admin/ban-user", { userId: sub, banReason: "test" }, root.jar);
      },
      revokes: ["here", "there"],
      keeps: [],
    },
  ];
  const outcome = new Map<string, { pair: Pair; response: Response; at: number }>();
  let bystander: Device;
  let changedPassword: Device | undefined;

  describe("each revoking action, taken on A", () => {
    beforeAll(async () => {
      await device(adminEmail, true);
      bystander = await device(uniqueEmail("rev-bystander"), true);
      const pairs: Pair[] = [];
      for (const c of cases) pairs.push(await pair(c.name.split(" ")[0] ?? "rev"));
      for (const p of pairs) await expectAccepted(p.here.token, p.there.token);
      // All actions at once, so the polls below overlap.
      await Promise.all(
        cases.map(async (c, i) => {
          const p = pairs[i] as Pair;
          const response = await c.act(p);
          outcome.set(c.name, { pair: p, response, at: Date.now() });
        }),
      );
      const changed = outcome.get("change-password with revokeOtherSessions");
      if (changed)
        changedPassword = { jar: changed.pair.here.jar, token: changed.pair.here.jar.get(ACCESS_COOKIE) ?? "" };
    });

    for (const c of cases) {
      it(`${c.name}: refuses ${c.revokes.join(" and ")} on B and A within the bound`, async () => {
        const { pair: p, response, at } = outcome.get(c.name) ?? {};
        if (!p || !response) throw new Error("action did not run");
        // Every revoking action is enabled in this build (admin plugin, delete-user): a 404 here is a failure.
        expect(response.status, await response.clone().text()).toBe(200);
        for (const who of c.revokes) {
          const took = await refusedWithin(p[who].token, at ?? Date.now());
          console.info(`[tests] ${c.name}: ${who} refused after ${took} ms (bound ${BOUND_MS} ms)`);
        }
        await expectAccepted(...c.keeps.map((who) => p[who].token));
      });
    }

    it("leaves everyone else untouched: a bystander, and the device that changed its password (new session, new JWT)", async () => {
      await expectAccepted(bystander.token);
      expect(changedPassword?.token).toBeTruthy();
      expect(changedPassword?.token).not.toBe(outcome.get("change-password with revokeOtherSessions")?.pair.here.token);
      await expectAccepted(changedPassword?.token ?? "");
    });

    it("sends a revoked device that still holds its session cookie through the refresh hop to sign-in", async () => {
      const { pair: p } = outcome.get("revoke-other-sessions") ?? {};
      if (!p) throw new Error("action did not run");
      const hop = await fetch(`${b.url}/dashboard`, pageRequest(p.there.jar.header()));
      expect(hop.status).toBe(307);
      expect(locationPath(hop)).toBe("/api/auth/refresh?next=%2Fdashboard");
      const back = await fetch(`${b.url}${locationPath(hop)}`, pageRequest(p.there.jar.header()));
      expect(back.status).toBe(303);
      expect(locationPath(back)).toMatch(/^\/sign-in/);
    });
  });

  describe("with the database stopped", () => {
    beforeAll(async () => {
      await pg.stop();
      await sleep((INTERVAL_SECONDS / 2 + 1) * 1000); // every memo and held feed goes stale
    });
    afterAll(() => pg.start());

    it("keeps refusing what was revoked, and keeps serving valid unrevoked JWT holders", async () => {
      const revoked = outcome.get("revoke-sessions")?.pair.there.token ?? "";
      for (let round = 0; round < 3; round++) {
        for (const server of servers()) expect(await verdict(server, revoked)).toBe("refused");
        await expectAccepted(bystander.token);
        await sleep(1000);
      }
    });

    it("still answers the feed with the last one read (never a 500)", async () => {
      const response = await fetch(`${b.url}/api/auth/revocations`);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=0");
      expect(((await response.json()) as { sessions: string[] }).sessions.length).toBeGreaterThan(0);
    });
  });

  describe("when the feed itself fails", () => {
    afterAll(() => origin.setMode("pass"));
    const modes: FeedMode[] = ["refuse", "slow", "malformed", "huge", "error"];
    for (const mode of modes) {
      it(`${mode}: no request blocks or fails; the revoked stay refused, the rest keep access`, async () => {
        origin.setMode(mode);
        const before = origin.hits(mode);
        await sleep((INTERVAL_SECONDS / 2 + 1) * 1000); // held feeds go stale: the next request refreshes
        const revoked = outcome.get("sign-out")?.pair.here.token ?? "";
        for (let round = 0; round < 3; round++) {
          for (const server of servers()) expect(await verdict(server, revoked)).toBe("refused");
          await expectAccepted(bystander.token);
        }
        expect(origin.hits(mode)).toBeGreaterThan(before); // the edge did ask, and got this failure
      });
    }
  });
});
