/**
 * The key lifecycle in the terms of Better Auth's `jwt` plugin, which signs
 * with the newest key (by `createdAt`) that has not expired and serves every
 * key until `expiresAt + gracePeriod`. The kit adds nothing to the table; it
 * only reads these rules:
 *
 * - **signing**: the newest live key (`expiresAt` unset or ahead);
 * - **pending** (published, not signing yet, `keys:rotate --publish-only`): a
 *   live key whose `createdAt` is older than the signer's;
 * - **retired**: `expiresAt` passed; still served for the grace period, so
 *   every token it signed can be verified until it expires;
 * - **prunable**: retired longer ago than the grace period; no longer served.
 */
import { JWKS_CACHE_MAX_AGE_MS } from "../edge/keys";

/** A row of Better Auth's `jwks` table, as far as the lifecycle reads it. */
export interface KeyRow {
  readonly id: string;
  readonly publicKey: string;
  readonly privateKey: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly alg: string | null;
  readonly crv: string | null;
}

export type KeyState = "signing" | "pending" | "retired" | "prunable";

/** Safety margin on top of token lifetime and edge cache age: clock skew and in-flight requests. */
const GRACE_MARGIN_SECONDS = 60;

/**
 * How long a key stays served after it stops signing, in seconds: the longest
 * access-JWT lifetime plus the edge's JWKS cache age plus a margin, so no
 * verifier meets a valid token whose key is gone.
 */
export function graceSeconds(jwtTtlSeconds: number): number {
  return jwtTtlSeconds + JWKS_CACHE_MAX_AGE_MS / 1000 + GRACE_MARGIN_SECONDS;
}

function isLive(row: KeyRow, now: Date): boolean {
  return row.expiresAt === null || row.expiresAt > now;
}

/** The key the plugin signs with now (the newest live one), if any. */
export function signingKey(rows: readonly KeyRow[], now = new Date()): KeyRow | undefined {
  return rows.filter((r) => isLive(r, now)).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
}

/** Every key with its state at `now`. */
export function keyStates(rows: readonly KeyRow[], options: { graceSeconds: number; now?: Date }) {
  const now = options.now ?? new Date();
  const signer = signingKey(rows, now);
  return rows.map((row) => {
    let state: KeyState;
    if (row.id === signer?.id) state = "signing";
    else if (isLive(row, now)) state = "pending";
    else if ((row.expiresAt as Date).getTime() + options.graceSeconds * 1000 > now.getTime()) state = "retired";
    else state = "prunable";
    return { row, state };
  });
}

/** The public JWK of a row, exactly as the plugin's `GET /jwks` serves it (no private member). */
export function publicJwk(row: KeyRow): Record<string, unknown> {
  const { d: _private, ...pub } = JSON.parse(row.publicKey) as Record<string, unknown>;
  return { alg: row.alg ?? "EdDSA", ...(row.crv ? { crv: row.crv } : {}), ...pub, kid: row.id };
}

/** The `jwks` options of the `jwt` plugin that carry this lifecycle (spread into `jwtOptions.jwks`). */
export function keyLifecycleOptions(config: { jwtTtlSeconds: number; keyRotationDays: number | undefined }): {
  gracePeriod: number;
  rotationInterval?: number;
} {
  return {
    gracePeriod: graceSeconds(config.jwtTtlSeconds),
    // The plugin mints the next key on the first signature after this: the edge fetches it on its unknown kid.
    ...(config.keyRotationDays ? { rotationInterval: config.keyRotationDays * 86_400 } : {}),
  };
}
