/**
 * `npm run keys:prune`: deletes keys retired longer ago than their grace
 * period (longest token lifetime + the edge's JWKS cache age + a margin).
 */
import { runKeysCommand } from "./keys-common";

void runKeysCommand("keys:prune", async (target) => {
  const { pruneKeys } = await import("../keys/prune");
  const { removed, kept, graceSeconds } = await pruneKeys();
  const grace = `retired more than ${Math.round(graceSeconds / 60)} min ago`;
  console.log(
    removed.length > 0
      ? `Pruned ${removed.length} key(s) on ${target} (${grace}): ${removed.join(", ")}; ${kept} still served`
      : `Nothing to prune on ${target}: no key ${grace}; ${kept} served`,
  );
});
