/**
 * Per-account counters in the `accountRateLimit` table (declared in the
 * plugin's schema, so `npm run db:migrate` creates it). One statement per
 * attempt: an upsert that opens a new fixed window or counts in the current
 * one, atomic under any number of instances and concurrent requests.
 */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { sql } from "kysely";

/** Table name (Better Auth model name) of the per-account counters. */
export const ACCOUNT_LIMIT_MODEL = "accountRateLimit";

/** At most `max` counted attempts per `window` seconds, from the first one. */
export interface AccountRule {
  readonly window: number;
  readonly max: number;
}

/** The outcome of counting one attempt. */
export type Consumed = { readonly allowed: true } | { readonly allowed: false; readonly retryAfter: number };

// biome-ignore lint/suspicious/noExplicitAny: the table is Better Auth's schema, not part of the kit's `Database` type
type AnyDb = Kysely<any>;

/** Counts one attempt against `key`; refused once the window holds `max` of them. */
export async function consume(db: AnyDb, key: string, rule: AccountRule): Promise<Consumed> {
  const now = Date.now();
  const windowStart = now - rule.window * 1000;
  const table = sql.table(ACCOUNT_LIMIT_MODEL);
  const { rows } = await sql<{ count: number; lastRequest: string | number }>`
    insert into ${table} ("id", "key", "count", "lastRequest") values (${randomUUID()}, ${key}, 1, ${now})
    on conflict ("key") do update set
      "count" = case when ${table}."lastRequest" <= ${windowStart} then 1 else ${table}."count" + 1 end,
      "lastRequest" = case when ${table}."lastRequest" <= ${windowStart} then ${now} else ${table}."lastRequest" end
    returning "count", "lastRequest"`.execute(db);
  const row = rows[0];
  if (!row || row.count <= rule.max) return { allowed: true };
  const opened = Number(row.lastRequest);
  return { allowed: false, retryAfter: Math.max(1, Math.ceil((opened + rule.window * 1000 - now) / 1000)) };
}

/** Forgets `key` (a successful sign-in clears its failures). */
export async function reset(db: AnyDb, key: string): Promise<void> {
  await sql`delete from ${sql.table(ACCOUNT_LIMIT_MODEL)} where "key" = ${key}`.execute(db);
}

/** Deletes windows that closed more than `olderThanSeconds` ago, so the table stays small. */
export async function prune(db: AnyDb, olderThanSeconds: number): Promise<void> {
  const cutoff = Date.now() - olderThanSeconds * 1000;
  await sql`delete from ${sql.table(ACCOUNT_LIMIT_MODEL)} where "lastRequest" < ${cutoff}`.execute(db);
}
