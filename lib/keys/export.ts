/**
 * The public JWK set every key still served makes up: what `GET /api/auth/jwks`
 * answers and what `AUTH_JWKS` takes. No private member ever leaves.
 */
import type { JSONWebKeySet } from "jose";
import type { KeyRow, KeyState } from "./lifecycle";
import { keyStates, publicJwk } from "./lifecycle";

/** The served keys (signing, pending, retired within grace) as a JWK set, with each key's state. */
export function exportKeys(
  rows: readonly KeyRow[],
  options: { graceSeconds: number; now?: Date },
): { jwks: JSONWebKeySet; states: { kid: string; state: KeyState }[] } {
  const served = keyStates(rows, options).filter((k) => k.state !== "prunable");
  return {
    jwks: { keys: served.map((k) => publicJwk(k.row)) },
    states: served.map((k) => ({ kid: k.row.id, state: k.state })),
  };
}
