/**
 * Better Auth's `jwks` table through the kit's Kysely handle (PGlite or
 * Postgres alike). Plain functions over `db`, no state.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db";
import { getDb } from "../db";
import type { KeyRow } from "./lifecycle";

/** The tables the key store touches: `jwks` with the columns the plugin added after the kit's `Database` type. */
export type KeysDatabase = Database & { jwks: { alg: string | null; crv: string | null } };

type Db = Kysely<KeysDatabase> | Transaction<KeysDatabase>;

/** The app's database, typed for the key store. */
export function keysDb(): Kysely<KeysDatabase> {
  return getDb().db.withTables<{ jwks: { alg: string | null; crv: string | null } }>();
}

/** Every row of `jwks`, oldest first. */
export async function listKeys(db: Db): Promise<KeyRow[]> {
  const rows = await db.selectFrom("jwks").selectAll().orderBy("createdAt").execute();
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt), expiresAt: r.expiresAt && new Date(r.expiresAt) }));
}

/** Adds a key row. */
export async function insertKey(db: Db, row: KeyRow): Promise<void> {
  await db.insertInto("jwks").values(row).execute();
}

/** Makes `id` the newest key (so the plugin signs with it) with the given expiry. */
export async function promoteKey(db: Db, id: string, at: { createdAt: Date; expiresAt: Date | null }): Promise<void> {
  await db.updateTable("jwks").set(at).where("id", "=", id).execute();
}

/** Ends every other live key at `now` (they stay served for the grace period). Returns their ids. */
export async function retireOtherKeys(db: Db, keep: string, now: Date): Promise<string[]> {
  const rows = await db
    .updateTable("jwks")
    .set({ expiresAt: now })
    .where("id", "<>", keep)
    .where((eb) => eb.or([eb("expiresAt", "is", null), eb("expiresAt", ">", now)]))
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

/** Deletes the given keys. */
export async function deleteKeys(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length > 0)
    await db
      .deleteFrom("jwks")
      .where("id", "in", [...ids])
      .execute();
}
