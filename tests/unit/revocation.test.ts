/**
 * The revocation feed as a verifier holds it: its timing rules (fake clock,
 * a loader the test resolves by hand), its format, and fetching it from a real
 * loopback server in every failure mode (unreachable, slow, malformed, huge,
 * an error status). Nothing here waits on a stopwatch.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RevocationList } from "@/lib/edge/revocation";
import { createRevocationList } from "@/lib/edge/revocation";
import type { RevocationFeed, RevocationFeedDocument } from "@/lib/edge/revocation-feed";
import { parseRevocationFeed, RevocationFeedError, revocationHandle } from "@/lib/edge/revocation-feed";
import { fetchRevocationFeed } from "@/lib/edge/revocation-fetch";
import type { AccessClaims } from "@/lib/edge/verify";
import type { FeedServer } from "../helpers/feed-server";
import { FEED_PATH, startFeedServer } from "../helpers/feed-server";

const T0 = 1_800_000_000;
const claims = (over: Partial<AccessClaims> = {}): AccessClaims => ({
  id: "user-1",
  email: "ann@example.com",
  name: "Ann",
  role: "user",
  iat: T0,
  exp: T0 + 300,
  sid: "session-1",
  ...over,
});

async function doc(
  over: { sessions?: string[]; users?: Record<string, number> } = {},
): Promise<RevocationFeedDocument> {
  return { version: 1, generatedAt: T0, sessions: over.sessions ?? [], users: over.users ?? {} };
}

/** A loader whose every call the test settles by hand. */
function manualLoader() {
  const calls: Array<{ resolve: (feed: RevocationFeed) => void; reject: (error: Error) => void }> = [];
  const load = () =>
    new Promise<RevocationFeed>((resolve, reject) => {
      calls.push({ resolve, reject });
    });
  return { load, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("revocation list: what it refuses", () => {
  let list: RevocationList;
  beforeAll(async () => {
    const feed = parseRevocationFeed(
      await doc({
        sessions: [await revocationHandle("sid", "revoked-session")],
        users: { [await revocationHandle("sub", "banned-user")]: T0 + 10 },
      }),
    );
    list = createRevocationList({ load: async () => feed });
  });

  const cases: Array<[string, Partial<AccessClaims>, boolean]> = [
    ["a token of a revoked session", { sid: "revoked-session" }, true],
    ["a token of another session", { sid: "session-2" }, false],
    ["a token of the user issued before their not-before", { id: "banned-user", iat: T0 + 9 }, true],
    ["a token without sid issued before the user's not-before", { id: "banned-user", iat: T0, sid: undefined }, true],
    ["a token of the user issued at or after their not-before", { id: "banned-user", iat: T0 + 10 }, false],
    ["a token of another user", { id: "user-2" }, false],
    ["a token without sid of an unlisted user", { sid: undefined }, false],
  ];
  for (const [name, over, expected] of cases) {
    it(`${expected ? "refuses" : "accepts"} ${name}`, async () => {
      expect(await list.isRevoked(claims(over))).toBe(expected);
    });
  }
});

describe("revocation list: timing", () => {
  const revokedSid = "revoked-session";
  let revokedFeed: RevocationFeed;
  let emptyFeed: RevocationFeed;
  beforeAll(async () => {
    revokedFeed = parseRevocationFeed(await doc({ sessions: [await revocationHandle("sid", revokedSid)] }));
    emptyFeed = parseRevocationFeed(await doc());
  });

  function setup(options: { waitMs?: number; retryMs?: number } = {}) {
    let now = 1_000_000;
    const loader = manualLoader();
    const list = createRevocationList({ load: loader.load, intervalSeconds: 10, ...options, now: () => now });
    return { list, loader, advance: (ms: number) => (now += ms) };
  }

  it("a cold isolate waits for its first feed and applies it", async () => {
    const { list, loader } = setup({ waitMs: 60_000 });
    const pending = list.isRevoked(claims({ sid: revokedSid }));
    expect(pending).toBeInstanceOf(Promise);
    expect(loader.calls).toHaveLength(1);
    loader.calls[0]?.resolve(revokedFeed);
    expect(await pending).toBe(true);
  });

  it("a cold isolate stops waiting after waitMs and decides without a feed (accepts)", async () => {
    const { list, loader } = setup({ waitMs: 5 });
    expect(await list.isRevoked(claims({ sid: revokedSid }))).toBe(false);
    expect(loader.calls).toHaveLength(1); // still in flight: later requests do not start another
    expect(await list.isRevoked(claims({ sid: revokedSid }))).toBe(false);
    expect(loader.calls).toHaveLength(1);
    loader.calls[0]?.resolve(revokedFeed);
    await tick();
    expect(await list.isRevoked(claims({ sid: revokedSid }))).toBe(true);
  });

  it("answers synchronously with no fetch while the feed is fresh, refreshes once in the background after a quarter interval", async () => {
    const { list, loader, advance } = setup({ waitMs: 60_000 });
    const first = list.isRevoked(claims());
    loader.calls[0]?.resolve(emptyFeed);
    await first;
    advance(2_000);
    expect(list.isRevoked(claims())).toBe(false); // a boolean, not a promise: no await on the hot path
    expect(loader.calls).toHaveLength(1);
    advance(1_000); // 3 s: past a quarter of 10 s
    for (let i = 0; i < 50; i++) expect(list.isRevoked(claims({ sid: revokedSid }))).toBe(false);
    expect(loader.calls).toHaveLength(2); // single flight
    loader.calls[1]?.resolve(revokedFeed);
    await tick();
    expect(await list.isRevoked(claims({ sid: revokedSid }))).toBe(true);
  });

  it("past half the interval, waits for the refresh (bounded), so a decision never uses a feed older than that", async () => {
    const { list, loader, advance } = setup({ waitMs: 60_000 });
    const first = list.isRevoked(claims());
    loader.calls[0]?.resolve(emptyFeed);
    await first;
    advance(6_000);
    const pending = list.isRevoked(claims({ sid: revokedSid }));
    expect(pending).toBeInstanceOf(Promise);
    loader.calls[1]?.resolve(revokedFeed);
    expect(await pending).toBe(true);
  });

  it("keeps the last feed when a refresh fails, waits no more until one succeeds, and retries at most once per retryMs", async () => {
    const { list, loader, advance } = setup({ waitMs: 60_000, retryMs: 1_000 });
    const first = list.isRevoked(claims({ sid: revokedSid }));
    loader.calls[0]?.resolve(revokedFeed);
    expect(await first).toBe(true);
    advance(6_000);
    const stale = list.isRevoked(claims({ sid: revokedSid }));
    loader.calls[1]?.reject(new RevocationFeedError("unavailable", "down"));
    expect(await stale).toBe(true); // what was revoked stays revoked
    advance(100);
    // Failing: answers at once from the last feed, no new attempt inside the retry gap.
    expect(list.isRevoked(claims({ sid: revokedSid }))).toBe(true);
    expect(await list.isRevoked(claims())).toBe(false); // first sight of this sid: hashed once, no network
    expect(list.isRevoked(claims())).toBe(false);
    expect(loader.calls).toHaveLength(2);
    advance(1_000);
    expect(list.isRevoked(claims())).toBe(false); // a new attempt, in the background: no wait while failing
    expect(loader.calls).toHaveLength(3);
    loader.calls[2]?.resolve(emptyFeed);
    await tick();
    expect(await list.isRevoked(claims({ sid: revokedSid }))).toBe(false);
  });

  it("never throws when the loader rejects or throws", async () => {
    const rejects = createRevocationList({ load: () => Promise.reject(new Error("boom")) });
    expect(await rejects.isRevoked(claims())).toBe(false);
    const throws = createRevocationList({
      load: () => {
        throw new Error("boom");
      },
    });
    expect(await throws.isRevoked(claims())).toBe(false);
  });
});

describe("revocation feed format", () => {
  const handle = "AAAAAAAAAAAAAAAA";
  const bad: Array<[string, unknown]> = [
    ["null", null],
    ["an array", []],
    ["another version", { version: 2, generatedAt: 1, sessions: [], users: {} }],
    ["no generatedAt", { version: 1, sessions: [], users: {} }],
    ["sessions not an array", { version: 1, generatedAt: 1, sessions: "all", users: {} }],
    ["users an array", { version: 1, generatedAt: 1, sessions: [], users: [] }],
    ["a session handle of the wrong shape", { version: 1, generatedAt: 1, sessions: ["raw-session-id"], users: {} }],
    ["a session handle that is not a string", { version: 1, generatedAt: 1, sessions: [42], users: {} }],
    ["a user time that is not a number", { version: 1, generatedAt: 1, sessions: [], users: { [handle]: "x" } }],
    ["a user key that is not a handle", { version: 1, generatedAt: 1, sessions: [], users: { "a@b.c": 1 } }],
  ];
  for (const [name, value] of bad) {
    it(`refuses ${name} as malformed`, () => {
      expect(() => parseRevocationFeed(value)).toThrow(expect.objectContaining({ code: "malformed" }));
    });
  }

  it("handles are 16 base64url characters, differ by kind, and are stable", async () => {
    const sid = await revocationHandle("sid", "x");
    expect(sid).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(await revocationHandle("sub", "x")).not.toBe(sid);
    expect(await revocationHandle("sid", "x")).toBe(sid);
  });
});

describe("fetching the feed from a loopback origin", () => {
  let server: FeedServer;
  let url: URL;
  beforeAll(async () => {
    server = await startFeedServer();
    url = new URL(FEED_PATH, server.url);
    server.setFeed(await doc({ sessions: [await revocationHandle("sid", "s")] }));
  });
  afterAll(() => server?.close());

  it("reads a feed", async () => {
    server.setMode("feed");
    const feed = await fetchRevocationFeed(url);
    expect(feed.sessions.has(await revocationHandle("sid", "s"))).toBe(true);
  });

  const failures: Array<[Parameters<FeedServer["setMode"]>[0], string | RegExp]> = [
    ["refuse", /fetch failed|terminated|socket/i],
    ["slow", /timeout|aborted/i],
    ["malformed", "malformed"],
    ["huge", "too_large"],
    ["error", "unavailable"],
  ];
  for (const [mode, expected] of failures) {
    it(`rejects a ${mode} answer, and a list over it keeps its last feed without throwing`, async () => {
      server.setMode(mode);
      const attempt = fetchRevocationFeed(url, { timeoutMs: 300 });
      if (typeof expected === "string") await expect(attempt).rejects.toMatchObject({ code: expected });
      else await expect(attempt).rejects.toThrow(expected);

      let now = 0;
      server.setMode("feed");
      const list = createRevocationList({
        load: () => fetchRevocationFeed(url, { timeoutMs: 300 }),
        waitMs: 60_000,
        now: () => now,
      });
      expect(await list.isRevoked(claims({ sid: "s" }))).toBe(true);
      server.setMode(mode);
      const before = server.hits(mode);
      now += 6_000;
      expect(await list.isRevoked(claims({ sid: "s" }))).toBe(true);
      expect(await list.isRevoked(claims({ sid: "other" }))).toBe(false);
      expect(server.hits(mode)).toBe(before + 1);
    });
  }
});
