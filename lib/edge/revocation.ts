/**
 * The revocation feed held per isolate (or process), applied after the
 * signature and claims are checked. The hot path never waits on the network
 * once warm:
 *
 * - feed younger than a quarter of the interval: used as is;
 * - older: used as is, and one refresh starts in the background (single flight);
 * - older than half the interval, or none yet (a cold isolate): the request
 *   waits for that refresh, but never past `waitMs` after the refresh began,
 *   however many requests arrive meanwhile; then it decides with what it has;
 * - a failed refresh (unreachable, slow, malformed, huge) keeps the last feed,
 *   retries at most once per `retryMs`, and no request waits again until a
 *   refresh succeeds. Nobody is refused for an outage: a token is only ever
 *   refused because a feed listed it, and the token's lifetime bounds the rest.
 *
 * The route memoises the feed for half the interval, so what a decision sees
 * is at most one interval old (plus the fetch): the revocation bound.
 */
import type { RevocationFeed } from "./revocation-feed";
import { revocationHandle } from "./revocation-feed";
import type { AccessClaims } from "./verify";

/** Loads a feed; rejects when it cannot (the holder keeps the last one). */
export type FeedLoader = () => Promise<RevocationFeed>;

export interface RevocationListOptions {
  /** Where the feed comes from: `fetchRevocationFeed` at the edge, the database's snapshot on Node. */
  load: FeedLoader;
  /** The revocation bound in seconds (`AUTH_REVOCATION_INTERVAL`). Default 10. */
  intervalSeconds?: number;
  /** Longest time requests wait, together, for one refresh of a stale or missing feed, in ms. Default 250. */
  waitMs?: number;
  /** Least time between refreshes after one failed, in ms. Default 1000. */
  retryMs?: number;
  /** Clock in ms, for tests. Default `Date.now`. */
  now?: () => number;
}

/** Per-request context of a check. */
export interface RevocationCheckContext {
  /** Hands a background refresh to the runtime (`event.waitUntil` on a serverless edge), so it outlives the response. */
  waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
}

/** What a revocation list can say about verified claims. */
export interface RevocationList {
  /**
   * True when the held feed lists the token's session, or the user's "not
   * before" is after its `iat`. Synchronous when warm (a promise only while a
   * handle is hashed the first time or a cold isolate waits briefly).
   */
  isRevoked(claims: AccessClaims, context?: RevocationCheckContext): boolean | Promise<boolean>;
  /** The feed held now, if any (for tests and diagnostics). */
  current(): RevocationFeed | undefined;
}

const HANDLE_MEMO_ENTRIES = 2000;

/**
 * Builds a revocation list. Call once at module scope: the feed lives in it.
 *
 * @example
 * const revocations = createRevocationList({ load: () => fetchRevocationFeed(feedUrl), intervalSeconds: 10 });
 * if (await revocations.isRevoked(claims)) return unauthorized("revoked");
 */
export function createRevocationList(options: RevocationListOptions): RevocationList {
  const { load, intervalSeconds = 10, waitMs = 250, retryMs = 1000, now = Date.now } = options;
  const refreshAfterMs = (intervalSeconds * 1000) / 4;
  const staleAfterMs = (intervalSeconds * 1000) / 2;
  let feed: RevocationFeed | undefined;
  let loadedAt = Number.NEGATIVE_INFINITY; // when the held feed's request began (conservative)
  let inflight: Promise<void> | undefined;
  let inflightSince = 0;
  let failedAt: number | undefined; // set while the last attempt failed
  const handles = new Map<string, string>();

  function refresh(at: number, waitUntil: RevocationCheckContext["waitUntil"]): void {
    if (inflight || (failedAt !== undefined && at - failedAt < retryMs)) return;
    inflightSince = at;
    // A loader that throws synchronously fails like one that rejects: never out of `isRevoked`.
    inflight = new Promise<RevocationFeed>((resolve) => resolve(load())).then(
      (loaded) => {
        feed = loaded;
        loadedAt = inflightSince;
        failedAt = undefined;
      },
      () => {
        failedAt = now();
      },
    );
    inflight = inflight.finally(() => {
      inflight = undefined;
    });
    waitUntil?.(inflight);
  }

  async function waitBriefly(until: number): Promise<void> {
    const pending = inflight;
    if (!pending) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, until - now()));
    });
    await Promise.race([pending, timeout]);
    clearTimeout(timer);
  }

  /** The handle of an id: from the memo (synchronous, the warm path) or hashed once. */
  function handle(kind: "sid" | "sub", id: string): string | Promise<string> {
    const key = `${kind}:${id}`;
    const known = handles.get(key);
    if (known !== undefined) return known;
    return revocationHandle(kind, id).then((value) => {
      // Bounded: a flood of distinct tokens must not grow the isolate's memory.
      if (handles.size >= HANDLE_MEMO_ENTRIES) handles.delete(handles.keys().next().value ?? "");
      handles.set(key, value);
      return value;
    });
  }

  function judge(held: RevocationFeed, claims: AccessClaims, sid?: string, sub?: string): boolean {
    if (sid !== undefined && held.sessions.has(sid)) return true;
    const notBefore = sub === undefined ? undefined : held.users.get(sub);
    return notBefore !== undefined && claims.iat < notBefore;
  }

  function decide(claims: AccessClaims): boolean | Promise<boolean> {
    const held = feed;
    if (!held || (held.sessions.size === 0 && held.users.size === 0)) return false; // nothing to hash
    const sid = claims.sid !== undefined && held.sessions.size > 0 ? handle("sid", claims.sid) : undefined;
    const sub = held.users.size > 0 ? handle("sub", claims.id) : undefined;
    if (typeof sid === "object" || typeof sub === "object") {
      return Promise.all([sid, sub]).then(([s, u]) => judge(held, claims, s, u));
    }
    return judge(held, claims, sid, sub);
  }

  return {
    isRevoked(claims, context = {}) {
      const at = now();
      const age = at - loadedAt;
      if (age < refreshAfterMs) return decide(claims);
      refresh(at, context.waitUntil);
      const deadline = inflightSince + waitMs;
      if (age < staleAfterMs || !inflight || failedAt !== undefined || at >= deadline) return decide(claims);
      return waitBriefly(deadline).then(() => decide(claims));
    },
    current: () => feed,
  };
}
