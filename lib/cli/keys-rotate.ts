/**
 * `npm run keys:rotate`: a new signing key, active when the command exits.
 * `-- --publish-only`: publish it without signing (for `AUTH_JWKS`);
 * `-- --activate`: make the published key sign.
 */
import type { RotateMode } from "../keys/rotate";
import { rotateKeys } from "../keys/rotate";
import { flag, runKeysCommand, target, when } from "./keys-common";

function mode(): RotateMode {
  if (flag("publish-only") && flag("activate")) throw new Error("choose one of --publish-only and --activate");
  return flag("publish-only") ? "publish-only" : flag("activate") ? "activate-pending" : "activate-new";
}

void runKeysCommand("keys:rotate", async () => {
  const result = await rotateKeys(mode());
  const retired = (ids: readonly string[], until: Date) =>
    ids.length > 0 ? `; retired ${ids.join(", ")} (served until ${when(until)}, then keys:prune)` : "";
  switch (result.kind) {
    case "rotated":
      console.log(
        `Rotated on ${target()}: key ${result.signing} signs from now${retired(result.retired, result.servedUntil)}`,
      );
      break;
    case "activated":
      console.log(
        `Activated on ${target()}: key ${result.signing} signs from now${retired(result.retired, result.servedUntil)}`,
      );
      break;
    case "published":
      console.log(
        `Published key ${result.pending} on ${target()}: served, not signing (${result.signing} still signs)`,
      );
      console.log('Next: AUTH_JWKS="$(npm run -s keys:export)", redeploy, then npm run keys:rotate -- --activate');
      break;
    case "no-pending-key":
      throw new Error("no published key to activate: run npm run keys:rotate -- --publish-only first");
  }
});
