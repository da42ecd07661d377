/**
 * The edge's revocation list for this app's own tokens: the feed at
 * `BETTER_AUTH_URL/api/auth/revocations`, held per isolate at module scope.
 */
import { edgeConfig } from "./config";
import type { RevocationList } from "./revocation";
import { createRevocationList } from "./revocation";
import { fetchRevocationFeed, REVOCATIONS_PATH } from "./revocation-fetch";

let list: RevocationList | undefined;

/** The shared revocation list of this isolate (built on first use). */
export function defaultRevocations(): RevocationList {
  if (!list) {
    const config = edgeConfig();
    const url = new URL(REVOCATIONS_PATH, config.baseURL);
    list = createRevocationList({
      load: () => fetchRevocationFeed(url),
      intervalSeconds: config.revocationIntervalSeconds,
    });
  }
  return list;
}
