/**
 * Rotation: a new Ed25519 key made with the `jwt` plugin's own helpers (key
 * pair from `generateExportedKeyPair`, private half encrypted with
 * `BETTER_AUTH_SECRET` by `symmetricEncrypt`, as `createJwk` does), written to
 * the `jwks` table so every instance signs with it at once.
 *
 * - `activate-new` (default): the new key signs as soon as it is written; the
 *   old one retires (served for the grace period). Edges learn the new key on
 *   its first token (unknown `kid` → one fetch).
 * - `publish-only`: the key is served but does not sign (a live key older than
 *   the signer), for `AUTH_JWKS` deployments: export, redeploy, then activate.
 * - `activate-pending`: the published key becomes the signer.
 */
import { symmetricEncrypt } from "better-auth/crypto";
import { generateExportedKeyPair } from "better-auth/plugins/jwt";
import { auth, jwtOptions } from "../auth";
import { serverConfig } from "../config";
import type { KeyRow } from "./lifecycle";
import { graceSeconds, keyStates, signingKey } from "./lifecycle";
import { insertKey, keysDb, listKeys, promoteKey, retireOtherKeys } from "./store";

export type RotateMode = "activate-new" | "publish-only" | "activate-pending";

/** What a rotation did. */
export type RotateResult =
  | { readonly kind: "rotated"; readonly signing: string; readonly retired: readonly string[]; servedUntil: Date }
  | { readonly kind: "published"; readonly pending: string; readonly signing: string | undefined }
  | { readonly kind: "activated"; readonly signing: string; readonly retired: readonly string[]; servedUntil: Date }
  | { readonly kind: "no-pending-key"; readonly signing: string | undefined };

async function newKeyRow(createdAt: Date): Promise<KeyRow> {
  const context = await auth.$context;
  const { publicWebKey, privateWebKey, alg } = await generateExportedKeyPair(jwtOptions);
  const privateKey = JSON.stringify(
    await symmetricEncrypt({ key: context.secretConfig, data: JSON.stringify(privateWebKey) }),
  );
  const crv = typeof publicWebKey.crv === "string" ? publicWebKey.crv : null;
  const id = context.generateId({ model: "jwks" }) || crypto.randomUUID();
  return { id, publicKey: JSON.stringify(publicWebKey), privateKey, createdAt, expiresAt: null, alg, crv };
}

/** `expiresAt` of a key that starts signing at `now`: set only with automatic rotation. */
function signingExpiry(now: Date): Date | null {
  const days = serverConfig().keyRotationDays;
  return days ? new Date(now.getTime() + days * 86_400_000) : null;
}

/**
 * Rotates the signing key (see the module comment for the modes). Runs in one
 * transaction: other instances see the old signer or the new one, never none.
 */
export async function rotateKeys(mode: RotateMode = "activate-new", now = new Date()): Promise<RotateResult> {
  const grace = graceSeconds(serverConfig().jwtTtlSeconds);
  const servedUntil = new Date(now.getTime() + grace * 1000);
  return keysDb()
    .transaction()
    .execute(async (trx) => {
      const rows = await listKeys(trx);
      const signer = signingKey(rows, now);
      if (mode === "publish-only") {
        // Older than the signer, so the plugin keeps signing with the signer; a first key signs at once.
        const createdAt = signer ? new Date(signer.createdAt.getTime() - 1) : now;
        const row = await newKeyRow(createdAt);
        await insertKey(trx, row);
        return signer ? { kind: "published", pending: row.id, signing: signer.id } : rotatedTo(row.id, [], servedUntil);
      }
      let id: string;
      if (mode === "activate-pending") {
        const pending = keyStates(rows, { graceSeconds: grace, now }).filter((k) => k.state === "pending");
        const newest = pending.map((k) => k.row).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
        if (!newest) return { kind: "no-pending-key", signing: signer?.id };
        id = newest.id;
        await promoteKey(trx, id, { createdAt: now, expiresAt: signingExpiry(now) });
      } else {
        const row = { ...(await newKeyRow(now)), expiresAt: signingExpiry(now) };
        await insertKey(trx, row); // newest first, then retire the rest: there is always a key to sign with
        id = row.id;
      }
      const retired = await retireOtherKeys(trx, id, now);
      return mode === "activate-pending"
        ? { kind: "activated", signing: id, retired, servedUntil }
        : rotatedTo(id, retired, servedUntil);
    });
}

function rotatedTo(signing: string, retired: string[], servedUntil: Date): RotateResult {
  return { kind: "rotated", signing, retired, servedUntil };
}
