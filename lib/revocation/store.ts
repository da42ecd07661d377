/**
 * The `revocation` table (declared by `revocationPlugin`'s schema, so
 * `migrate()` creates it): one row per ended session or per user-wide "not
 * before", keyed by its opaque handle, kept for one token lifetime. Node only.
 */
import type { Kysely } from "kysely";
import type { Database } from "../db";
import type { RevocationFeedDocument } from "../edge/revocation-feed";
import { FEED_VERSION, revocationHandle } from "../edge/revocation-feed";

/** A row of `revocation`. */
export interface RevocationTable {
  id: string;
  /** `revocationHandle(kind, id)`: what the feed serves; the id itself is never stored. */
  handle: string;
  /** `sid` (one session ended) or `sub` (every token of the user issued before `revokedAt`). */
  kind: "sid" | "sub";
  revokedAt: Date;
  /** Past this, no token the row could refuse is still valid: the row leaves the feed and is pruned. */
  expiresAt: Date;
}

/** The tables this module reads and writes. */
export interface RevocationTables {
  revocation: RevocationTable;
}

/** A database that has the revocation table. */
export type RevocationDb = Kysely<RevocationTables>;

/**
 * The kit's database seen through the revocation table. Better Auth's schema
 * (our plugin's included) creates it; `lib/db`'s `Database` only lists the
 * tables other modules read, so this module adds its own.
 */
export function revocationDb(db: Kysely<Database>): RevocationDb {
  return db as unknown as RevocationDb;
}

export interface RecordRevocationOptions {
  /** What ended: a session (`sid`, its id) or a user's tokens so far (`sub`, the user id). */
  kind: "sid" | "sub";
  id: string;
  /** How long the row matters, in seconds: the longest token lifetime plus clock tolerance. */
  windowSeconds: number;
  /** Time of the revocation. Default now. */
  at?: Date;
}

/** Writes one revocation and prunes the rows no token can need any more. */
export async function recordRevocation(db: RevocationDb, options: RecordRevocationOptions): Promise<void> {
  const at = options.at ?? new Date();
  await db
    .insertInto("revocation")
    .values({
      id: crypto.randomUUID(),
      handle: await revocationHandle(options.kind, options.id),
      kind: options.kind,
      revokedAt: at,
      expiresAt: new Date(at.getTime() + options.windowSeconds * 1000),
    })
    .execute();
  await db.deleteFrom("revocation").where("expiresAt", "<", at).execute();
}

/** The feed document as of now: one query. */
export async function readFeedDocument(db: RevocationDb, now = new Date()): Promise<RevocationFeedDocument> {
  const rows = await db
    .selectFrom("revocation")
    .select(["handle", "kind"])
    .select((eb) => eb.fn.max("revokedAt").as("revokedAt"))
    .where("expiresAt", ">", now)
    .groupBy(["handle", "kind"])
    .execute();
  const sessions: string[] = [];
  const users: Record<string, number> = {};
  for (const row of rows) {
    if (row.kind === "sid") sessions.push(row.handle);
    else users[row.handle] = Math.floor(new Date(row.revokedAt).getTime() / 1000);
  }
  return { version: FEED_VERSION, generatedAt: Math.floor(now.getTime() / 1000), sessions, users };
}
