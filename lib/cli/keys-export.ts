/**
 * `npm run -s keys:export`: the public JWK set of every key still served, as
 * one line of JSON on stdout (the value `AUTH_JWKS` takes); a summary on stderr.
 */
import { runKeysCommand } from "./keys-common";

void runKeysCommand("keys:export", async (target) => {
  const { serverConfig } = await import("../config");
  const { exportKeys } = await import("../keys/export");
  const { graceSeconds } = await import("../keys/lifecycle");
  const { keysDb, listKeys } = await import("../keys/store");
  const rows = await listKeys(keysDb());
  const { jwks, states } = exportKeys(rows, { graceSeconds: graceSeconds(serverConfig().jwtTtlSeconds) });
  console.log(JSON.stringify(jwks));
  const summary = states.map((s) => `${s.kid} ${s.state}`).join(", ");
  console.error(
    states.length > 0
      ? `Exported ${states.length} public key(s) from ${target}: ${summary}`
      : `No keys on ${target} yet: the first token creates one (or run npm run keys:rotate)`,
  );
});
