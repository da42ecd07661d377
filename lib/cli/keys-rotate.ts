/**
 * `npm run keys:rotate`: a new signing key, active when the command exits.
 * `-- --publish-only`: publish it without signing (for `AUTH_JWKS`);
 * `-- --activate`: make the published key sign.
 */
import type { RotateMode } from "../keys/rotate";
import { flag, runKeysCommand, when } from "./keys-common";

function mode(): RotateMode {
  if (flag("publish-only") && flag("activate")) throw new Error("choose one of --publish-only and --activate");
  return flag("publish-only") ? "publish-only" : flag("activate") ? "activate-pending" : "activate-new";
}

function retired(ids: readonly string[], until: Date): string {
  return ids.length > 0 ? `; retired ${ids.join(", ")} (served until ${when(until)}, then keys:prune)` : "";
}

void runKeysCommand("keys:rotate", async (target) => {
  const { rotateKeys } = await import("../keys/rotate");
  const result = await rotateKeys(mode());
  switch (result.kind) {
    case "rotated":
    case "activated": {
      console.log(
        `${result.kind === "rotated" ? "Rotated" : "Activated"} on ${target}: key ${result.signing} signs from now${retired(result.retired, result.servedUntil)}`,
      );
      const { serverConfig } = await import("../config");
      const pinned = serverConfig().jwks?.keys.some((k) => k.kid === result.signing);
      if (serverConfig().jwks && !pinned) {
        console.log("AUTH_JWKS lacks it: isolates fetch it on its first token; re-export with npm run -s keys:export");
      }
      break;
    }
    case "published":
      console.log(`Published key ${result.pending} on ${target}: served, not signing (${result.signing} still signs)`);
      console.log('Next: AUTH_JWKS="$(npm run -s keys:export)", redeploy, then npm run keys:rotate -- --activate');
      break;
    case "no-pending-key":
      throw new Error("no published key to activate: run npm run keys:rotate -- --publish-only first");
  }
});
