/**
 * The revocation feed's wire format, shared by the Node route that serves it
 * and every verifier that applies it (guard, server helpers, `verifyRequest`).
 * Web APIs only.
 *
 * The feed names nothing an outsider could use: a revoked session and a user
 * with a "not before" time appear as handles, the first 96 bits of
 * SHA-256(`sid:<session id>`) or SHA-256(`sub:<user id>`), never as ids,
 * emails or tokens. It covers one token lifetime: older entries cannot
 * matter, since every token they could refuse has expired.
 */

/** Version of the document; a verifier refuses any other. */
export const FEED_VERSION = 1;

/** A parsed feed, ready for lookups. */
export interface RevocationFeed {
  /** When the server read it from the database, seconds since the epoch. */
  readonly generatedAt: number;
  /** Handles of revoked sessions (`sid`). */
  readonly sessions: ReadonlySet<string>;
  /** User handle → "not before" (seconds): that user's tokens issued earlier (`iat` < it) are refused. */
  readonly users: ReadonlyMap<string, number>;
}

/** The JSON document `GET /api/auth/revocations` serves. */
export interface RevocationFeedDocument {
  readonly version: typeof FEED_VERSION;
  readonly generatedAt: number;
  readonly sessions: readonly string[];
  readonly users: Readonly<Record<string, number>>;
}

/** Thrown by `parseRevocationFeed` for a document that is not a feed. */
export class RevocationFeedError extends Error {
  override readonly name = "RevocationFeedError";
  constructor(
    /** `malformed` (not a feed of this version) or `too_large` (over the size limit). */
    readonly code: "malformed" | "too_large" | "unavailable",
    message: string,
  ) {
    super(message);
  }
}

const HANDLE = /^[A-Za-z0-9_-]{16}$/;

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The opaque handle of a session (`kind` `"sid"`) or a user (`"sub"`): 16
 * base64url characters. The same function runs where the feed is written and
 * where it is read, so both sides agree.
 */
export async function revocationHandle(kind: "sid" | "sub", id: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${kind}:${id}`));
  return base64url(new Uint8Array(digest, 0, 12));
}

/**
 * Validates a decoded JSON value as a feed. Anything else throws
 * `RevocationFeedError` (`malformed`): a verifier then keeps the feed it had.
 */
export function parseRevocationFeed(value: unknown): RevocationFeed {
  const doc = value as Partial<RevocationFeedDocument> | null;
  const bad = (why: string) => new RevocationFeedError("malformed", `revocation feed: ${why}`);
  if (!doc || typeof doc !== "object" || doc.version !== FEED_VERSION) throw bad("not a version 1 feed");
  if (typeof doc.generatedAt !== "number" || !Number.isFinite(doc.generatedAt)) throw bad("no generatedAt");
  if (!Array.isArray(doc.sessions) || !doc.users || typeof doc.users !== "object" || Array.isArray(doc.users)) {
    throw bad("sessions must be an array and users an object");
  }
  const sessions = new Set<string>();
  for (const handle of doc.sessions) {
    if (typeof handle !== "string" || !HANDLE.test(handle)) throw bad("a session handle is not a handle");
    sessions.add(handle);
  }
  const users = new Map<string, number>();
  for (const [handle, notBefore] of Object.entries(doc.users)) {
    if (!HANDLE.test(handle) || typeof notBefore !== "number" || !Number.isFinite(notBefore)) {
      throw bad("a user entry is not a handle and a time");
    }
    users.set(handle, notBefore);
  }
  return { generatedAt: doc.generatedAt, sessions, users };
}
