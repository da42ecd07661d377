/**
 * The key lifecycle on a real database, through the real Better Auth handler:
 * rotate, publish-only then activate, export, prune. Registered once per
 * database by its own test file; `lib/keys` talks to the same `getDb()`.
 */
import { decodeProtectedHeader } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createKeySource } from "@/lib/edge/keys";
import { createVerifier } from "@/lib/edge/verify";
import { exportKeys } from "@/lib/keys/export";
import { graceSeconds, keyLifecycleOptions } from "@/lib/keys/lifecycle";
import type { AuthCaller } from "../helpers/auth-handler";
import { authCaller, BASE } from "../helpers/auth-handler";
import { uniqueEmail } from "../helpers/http";
import type { AuthApp } from "./auth-flows";

const GRACE = graceSeconds(300);

/** Registers the lifecycle tests; `app()` is valid from the first test on. */
export function describeKeyLifecycle(title: string, app: () => AuthApp): void {
  describe(title, () => {
    // Imported once the database is configured: they load the app (`lib/auth`), which reads it at import.
    let rotateKeys: typeof import("@/lib/keys/rotate").rotateKeys;
    let pruneKeys: typeof import("@/lib/keys/prune").pruneKeys;
    let keysDb: typeof import("@/lib/keys/store").keysDb;
    let listKeys: typeof import("@/lib/keys/store").listKeys;
    beforeAll(async () => {
      ({ rotateKeys } = await import("@/lib/keys/rotate"));
      ({ pruneKeys } = await import("@/lib/keys/prune"));
      ({ keysDb, listKeys } = await import("@/lib/keys/store"));
      const { getDb } = await import("@/lib/db");
      expect(getDb().db).toBe(app().db); // the key store and the app share one database handle
    });
    const signedIn = async (): Promise<AuthCaller> => {
      const user = authCaller(app().handler);
      const body = { email: uniqueEmail("keys"), password: "correct-horse-1", name: "Key" };
      expect((await user.call("/sign-up/email", { body })).status).toBe(200);
      return user;
    };
    const token = async (user: AuthCaller) => ((await (await user.call("/token")).json()) as { token: string }).token;
    const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid;
    const served = async () =>
      (await (await authCaller(app().handler).call("/jwks")).json()) as { keys: { kid: string }[] };
    const verifyWith = async (jwt: string) => {
      const verify = createVerifier({ keys: createKeySource({ jwks: await served() }), issuer: BASE, audience: BASE });
      return verify(jwt);
    };

    it("rotate: tokens issued after it carry the new kid; tokens from before keep verifying", async () => {
      const user = await signedIn();
      const before = await token(user);
      const result = await rotateKeys();
      expect(result.kind).toBe("rotated");
      const after = await token(user);
      expect(kidOf(after)).toBe(result.kind === "rotated" && result.signing);
      expect(kidOf(after)).not.toBe(kidOf(before));
      expect(result.kind === "rotated" && result.retired).toContain(kidOf(before));
      expect(await verifyWith(before)).toMatchObject({ ok: true });
      expect(await verifyWith(after)).toMatchObject({ ok: true });
    });

    it("publish-only serves the key without signing with it; activate makes it sign", async () => {
      const user = await signedIn();
      const signer = kidOf(await token(user));
      const published = await rotateKeys("publish-only");
      expect(published).toMatchObject({ kind: "published", signing: signer });
      const pending = published.kind === "published" ? published.pending : "";
      expect((await served()).keys.map((k) => k.kid)).toContain(pending);
      expect(kidOf(await token(user))).toBe(signer);
      const activated = await rotateKeys("activate-pending");
      expect(activated).toMatchObject({ kind: "activated", signing: pending, retired: [signer] });
      expect(kidOf(await token(user))).toBe(pending);
      expect(await rotateKeys("activate-pending")).toMatchObject({ kind: "no-pending-key", signing: pending });
    });

    it("export is exactly the served set, public members only", async () => {
      const rows = await listKeys(keysDb());
      const { jwks, states } = exportKeys(rows, { graceSeconds: GRACE });
      const live = await served();
      expect(new Set(jwks.keys.map((k) => k.kid))).toEqual(new Set(live.keys.map((k) => k.kid)));
      for (const key of jwks.keys) {
        expect(key).not.toHaveProperty("d");
        expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA" });
      }
      expect(states.filter((s) => s.state === "signing")).toHaveLength(1);
    });

    it("automatic rotation: once the signer's period ends, the next token creates and uses a new key", async () => {
      const user = await signedIn();
      const signer = kidOf(await token(user));
      // What AUTH_KEY_ROTATION_DAYS sets (the plugin's rotationInterval) after N days: the signer has expired.
      await keysDb()
        .updateTable("jwks")
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where("id", "=", signer as string)
        .execute();
      const next = await token(user);
      expect(kidOf(next)).not.toBe(signer);
      const kids = (await served()).keys.map((k) => k.kid);
      expect(kids).toContain(kidOf(next));
      expect(kids).toContain(signer); // retired, still served for the grace period
      expect(keyLifecycleOptions({ jwtTtlSeconds: 300, keyRotationDays: 7 })).toEqual({
        gracePeriod: GRACE,
        rotationInterval: 7 * 86_400,
      });
    });

    it("prune keeps every key within its grace period and removes the ones past it", async () => {
      const user = await signedIn();
      const signer = kidOf(await token(user));
      expect((await pruneKeys()).removed).toEqual([]);
      const retiredIds = (await listKeys(keysDb())).filter((r) => r.expiresAt).map((r) => r.id);
      expect(retiredIds.length).toBeGreaterThan(0);
      const later = new Date(Date.now() + (GRACE + 1) * 1000);
      const pruned = await pruneKeys(later);
      expect(new Set(pruned.removed)).toEqual(new Set(retiredIds));
      const left = (await served()).keys.map((k) => k.kid);
      expect(left).toEqual([signer]);
      expect(await verifyWith(await token(user))).toMatchObject({ ok: true });
    });
  });
}
