/**
 * Removes keys retired longer ago than the grace period: no valid token can
 * still carry their `kid`, and the JWKS no longer serves them.
 */
import { serverConfig } from "../config";
import { graceSeconds, keyStates } from "./lifecycle";
import { deleteKeys, keysDb, listKeys } from "./store";

/** What a prune did: the deleted kids, and how many keys are still served. */
export interface PruneResult {
  readonly removed: readonly string[];
  readonly kept: number;
  readonly graceSeconds: number;
}

/** Deletes every prunable key (retired more than the grace period ago). */
export async function pruneKeys(now = new Date()): Promise<PruneResult> {
  const grace = graceSeconds(serverConfig().jwtTtlSeconds);
  return keysDb()
    .transaction()
    .execute(async (trx) => {
      const states = keyStates(await listKeys(trx), { graceSeconds: grace, now });
      const removed = states.filter((k) => k.state === "prunable").map((k) => k.row.id);
      await deleteKeys(trx, removed);
      return { removed, kept: states.length - removed.length, graceSeconds: grace };
    });
}
