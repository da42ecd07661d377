/**
 * The feed as the server serves it: one database read per half interval per
 * process, however many isolates, backends and server helpers ask (single
 * flight, memoised on `globalThis` so every route bundle shares it). When the
 * database cannot be read it keeps answering with the last feed it had; a
 * failure is remembered for the same half interval, so an outage costs one
 * attempt per half interval, not one per request. Node only.
 */
import { ensureReady } from "../auth";
import { serverConfig } from "../config";
import { getDb } from "../db";
import type { RevocationFeed, RevocationFeedDocument } from "../edge/revocation-feed";
import { parseRevocationFeed } from "../edge/revocation-feed";
import { readFeedDocument, revocationDb } from "./store";

/** One read of the feed. */
export interface FeedSnapshot {
  readonly document: RevocationFeedDocument;
  /** The JSON body served. */
  readonly body: string;
  readonly feed: RevocationFeed;
  /** When the read began, ms since the epoch. */
  readonly takenAt: number;
}

interface FeedState {
  snapshot?: FeedSnapshot;
  inflight?: Promise<void>;
  failedAt?: number;
}

const store = globalThis as typeof globalThis & { __egRevocationFeed?: FeedState };
store.__egRevocationFeed ??= {};
const state: FeedState = store.__egRevocationFeed;

/** How long one read is served, in ms: half the revocation interval (the edge holds it the other half). */
export function feedMemoMs(): number {
  return (serverConfig().revocationIntervalSeconds * 1000) / 2;
}

async function read(): Promise<void> {
  const takenAt = Date.now();
  try {
    await ensureReady();
    const document = await readFeedDocument(revocationDb(getDb().db), new Date(takenAt));
    state.snapshot = { document, body: JSON.stringify(document), feed: parseRevocationFeed(document), takenAt };
    state.failedAt = undefined;
  } catch (error) {
    if (state.failedAt === undefined) {
      console.error(`[edge-guard] revocation feed not read: ${error instanceof Error ? error.message : "unknown"}`);
    }
    state.failedAt = Date.now();
  }
}

/**
 * The current feed snapshot, or `undefined` when the database could not be
 * read and no earlier snapshot exists. Never throws.
 */
export async function revocationSnapshot(now = Date.now()): Promise<FeedSnapshot | undefined> {
  const memoMs = feedMemoMs();
  const { snapshot, failedAt } = state;
  if (snapshot && now - snapshot.takenAt < memoMs) return snapshot;
  if (failedAt !== undefined && now - failedAt < memoMs) return snapshot;
  state.inflight ??= read().finally(() => {
    state.inflight = undefined;
  });
  await state.inflight;
  return state.snapshot;
}
