/**
 * Key rotation under continuous HTTP traffic, with zero rejected requests:
 * `next start` instances on one PostgreSQL 15, the real `keys:*` commands run
 * as child processes while clients keep using and renewing their JWTs.
 *
 * - without `AUTH_JWKS`: a warm instance (traffic before, during and after)
 *   and a cold one (no verification before the rotation) across `keys:rotate`;
 * - with `AUTH_JWKS`: publish-only, export, a "redeployed" cold instance with
 *   the exported set, activate; then a plain `keys:rotate`, which the pinned
 *   instances survive by consulting the remote set for the unknown kid.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NextServer } from "../helpers/next-server";
import { ROOT, startNext } from "../helpers/next-server";
import type { PostgresServer } from "../helpers/postgres";
import { skipWithoutPostgres, startPostgres } from "../helpers/postgres";
import type { Traffic } from "./rotation-traffic";
import { createTraffic, summary } from "./rotation-traffic";

const run = promisify(execFile);
const skip = skipWithoutPostgres("key rotation under traffic");
const SECRET = randomBytes(32).toString("base64url"); // shared by the instances and the commands (it encrypts the keys)

let postgres: PostgresServer | undefined;
const servers: NextServer[] = [];
const traffics: Traffic[] = [];

async function cli(script: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, "lib/cli", `${script}.ts`), ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: postgres?.url, BETTER_AUTH_SECRET: SECRET },
    timeout: 180_000,
  });
}

async function start(env: Record<string, string> = {}): Promise<NextServer> {
  const server = await startNext({
    env: { DATABASE_URL: postgres?.url, BETTER_AUTH_SECRET: SECRET, AUTH_TRUSTED_IP_HEADER: "x-real-ip", ...env },
  });
  servers.push(server);
  return server;
}

function kidPrinted(stdout: string): string {
  const kid = /key (\S+) signs from now/.exec(stdout)?.[1];
  if (!kid) throw new Error(`no kid in: ${stdout}`);
  return kid;
}

/** Waits until each traffic has used a token of `kid` a few times, then checks nothing was rejected. */
async function settle(traffics: Traffic[], kid: string): Promise<void> {
  for (const traffic of traffics) await traffic.until((c) => (c.byKid.get(kid) ?? 0) >= 15);
  for (const traffic of traffics) {
    const logs = servers.map((s) =>
      s
        .output()
        .split("\n")
        .filter((l) => l.includes("[edge-guard]"))
        .join("\n"),
    );
    expect(traffic.counts.rejected, `${JSON.stringify(summary(traffic.counts))}\n${logs.join("\n")}`).toBe(0);
  }
}

describe.skipIf(skip)("key rotation under continuous traffic (PostgreSQL 15)", () => {
  beforeAll(async () => {
    postgres = await startPostgres();
    console.info(`[tests] ${(await cli("migrate")).stdout.trim()}`);
  });
  afterAll(async () => {
    await Promise.all(traffics.map((t) => t.stop()));
    await Promise.all(servers.map((s) => s.stop()));
    await postgres?.remove();
  });

  it("without AUTH_JWKS: a warm and a cold instance reject nothing across keys:rotate", async () => {
    const warm = await start();
    const cold = await start(); // answered only "/" so far: neither its edge nor its pages hold keys
    const warmTraffic = await createTraffic(warm.url);
    traffics.push(warmTraffic);
    const coldTraffic = await createTraffic(cold.url);
    traffics.push(coldTraffic);
    warmTraffic.start();
    const oldKid = (await warmTraffic.freshKid()) as string;
    await warmTraffic.until((c) => (c.byKid.get(oldKid) ?? 0) >= 15);

    const rotated = await cli("keys-rotate");
    const newKid = kidPrinted(rotated.stdout);
    expect(rotated.stdout).toContain(`retired ${oldKid}`);
    expect(await warmTraffic.freshKid()).toBe(newKid); // the new key signs by the time the command exits

    coldTraffic.start(); // old-kid tokens first, then new ones after each client's next refresh
    await settle([warmTraffic, coldTraffic], newKid);
    const counts = [await warmTraffic.stop(), await coldTraffic.stop()];
    console.info(`[tests] rotation without AUTH_JWKS: ${JSON.stringify(counts.map(summary))}`);
    expect(counts[1]?.byKid.get(oldKid) ?? 0).toBeGreaterThan(0); // the cold instance verified old tokens too
    for (const c of counts) expect(c.rejected).toBe(0);
  }, 600_000);

  it("with AUTH_JWKS: publish-only, redeploy, activate, then a plain rotate, rejecting nothing", async () => {
    const pinnedBefore = (await cli("keys-export")).stdout.trim();
    const pinned = await start({ AUTH_JWKS: pinnedBefore });
    const pinnedTraffic = await createTraffic(pinned.url);
    traffics.push(pinnedTraffic);
    pinnedTraffic.start();
    const signer = (await pinnedTraffic.freshKid()) as string;
    await pinnedTraffic.until((c) => (c.byKid.get(signer) ?? 0) >= 15);

    const published = await cli("keys-rotate", "--publish-only");
    const pendingKid = /Published key (\S+)/.exec(published.stdout)?.[1] as string;
    expect(await pinnedTraffic.freshKid()).toBe(signer); // published, not signing
    const exported = (await cli("keys-export")).stdout.trim();
    expect(JSON.parse(exported).keys.map((k: { kid: string }) => k.kid)).toContain(pendingKid);
    const redeployed = await start({ AUTH_JWKS: exported }); // cold, and holds the new key before it signs
    const redeployedTraffic = await createTraffic(redeployed.url);
    traffics.push(redeployedTraffic);
    redeployedTraffic.start();

    const activated = await cli("keys-rotate", "--activate");
    expect(kidPrinted(activated.stdout)).toBe(pendingKid);
    expect(await pinnedTraffic.freshKid()).toBe(pendingKid);
    await settle([pinnedTraffic, redeployedTraffic], pendingKid);

    // A rotation without publishing first: both instances meet a kid missing from their AUTH_JWKS.
    const unannounced = kidPrinted((await cli("keys-rotate")).stdout);
    expect(await redeployedTraffic.freshKid()).toBe(unannounced);
    await settle([pinnedTraffic, redeployedTraffic], unannounced);

    const counts = [await pinnedTraffic.stop(), await redeployedTraffic.stop()];
    console.info(`[tests] rotation with AUTH_JWKS: ${JSON.stringify(counts.map(summary))}`);
    for (const c of counts) expect(c.rejected).toBe(0);
  }, 600_000);
});
