/**
 * The revocation list the server helpers (`lib/session.ts`) apply: the same
 * feed the edge holds, read from this process's snapshot instead of over
 * HTTP (no request to ourselves), with the edge's timing rules. Node only.
 */
import { serverConfig } from "../config";
import type { RevocationList } from "../edge/revocation";
import { createRevocationList } from "../edge/revocation";
import { RevocationFeedError } from "../edge/revocation-feed";
import { revocationSnapshot } from "./feed";

const store = globalThis as typeof globalThis & { __egServerRevocations?: RevocationList };

/** The process-wide revocation list of the server helpers. */
export function serverRevocations(): RevocationList {
  store.__egServerRevocations ??= createRevocationList({
    intervalSeconds: serverConfig().revocationIntervalSeconds,
    load: async () => {
      const snapshot = await revocationSnapshot();
      if (!snapshot) throw new RevocationFeedError("unavailable", "revocation feed: database unavailable");
      return snapshot.feed;
    },
  });
  return store.__egServerRevocations;
}
