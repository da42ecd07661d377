/**
 * The README's Deploy section, followed on this machine with everything but
 * the hosted services: PostgreSQL 15 stands in for Neon, `next start` for
 * Vercel's functions. On a copy of the app: `next build` refuses bad values
 * before compiling; `npm run db:migrate`; `next build` with a production
 * environment (https origin, strong secret, Postgres URL); a first start;
 * `AUTH_JWKS` from the deployment's `/api/auth/jwks`; a restart with it,
 * then a sign-up and a guarded page.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppCopy } from "../helpers/app-copy";
import { buildAppCopy } from "../helpers/app-copy";
import { BAD_CONFIGS, withOverrides } from "../helpers/bad-config";
import { CookieJar, pageRequest } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";
import type { PostgresServer } from "../helpers/postgres";
import { skipWithoutPostgres, startPostgres } from "../helpers/postgres";

const run = promisify(execFile);
const skip = skipWithoutPostgres("deploy walk-through");
/** The public origin the deployment is built for; requests reach it over loopback, as behind a TLS proxy. */
const ORIGIN = "https://edge-guard.example.test";

/** Runs `command` in the copy; resolves with its exit code and everything it printed. */
async function inCopy(copy: AppCopy, command: string[], env: Record<string, string | undefined>) {
  const [file = "", ...args] = command;
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd: copy.dir,
      env: env as NodeJS.ProcessEnv,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const { code, stdout = "", stderr = "" } = error as { code?: number; stdout?: string; stderr?: string };
    return { code: code ?? -1, output: `${stdout}${stderr}` };
  }
}

describe.skipIf(skip)("deploy, step by step (PostgreSQL 15 for Neon, next start for Vercel)", () => {
  let pg: PostgresServer;
  let copy: AppCopy;
  let env: Record<string, string | undefined>;
  let migrated = "";
  let built = { code: -1, output: "" };
  const servers: NextServer[] = [];
  const next = (...args: string[]) => [process.execPath, "node_modules/next/dist/bin/next", ...args];

  beforeAll(async () => {
    pg = await startPostgres();
    copy = await buildAppCopy({ build: false });
    env = {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      BETTER_AUTH_URL: ORIGIN,
      BETTER_AUTH_SECRET: randomBytes(32).toString("base64"),
      DATABASE_URL: pg.url,
    };
    migrated = (await inCopy(copy, ["npm", "run", "--silent", "db:migrate"], env)).output;
    built = await inCopy(copy, next("build"), env);
  }, 900_000);

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await copy?.remove();
    await pg?.remove();
  });

  const atBuild = BAD_CONFIGS.filter((c) =>
    [
      "an http base URL on a public host",
      "a MySQL database URL",
      "AUTH_JWKS with a private key",
      "a short secret",
    ].includes(c.name),
  );
  it.each(atBuild.map((c) => [c.name, c] as const))("next build stops on %s before compiling", async (_n, bad) => {
    const { code, output } = await inCopy(copy, next("build"), withOverrides(env, bad.env));
    expect(code).toBe(1);
    expect(output).toContain(`[edge-guard] ${bad.variable}`);
    expect(output).not.toContain("Creating an optimized production build");
  });

  it("next build on Vercel stops on a missing secret (its build sees the runtime variables)", async () => {
    const { code, output } = await inCopy(copy, next("build"), {
      ...withOverrides(env, { BETTER_AUTH_SECRET: undefined }),
      VERCEL: "1",
    });
    expect(code).toBe(1);
    expect(output).toContain("[edge-guard] BETTER_AUTH_SECRET is missing");
  });

  it("npm run db:migrate creates the schema on the database", () => {
    expect(migrated).toMatch(/^Migrated (localhost|127\.0\.0\.1):\d+: .*user.*session.*jwks/m);
  });

  it("next build succeeds with the production environment", () => {
    expect(built.output).not.toContain("[edge-guard]");
    expect(built.code, built.output).toBe(0);
  });

  it("serves the first deployment, whose public keys become AUTH_JWKS, and a restart with them signs users in", async () => {
    const first = await startNext({ cwd: copy.dir, env });
    servers.push(first);
    const jwks = await (await fetch(`${first.url}/api/auth/jwks`)).text();
    expect(JSON.parse(jwks).keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519" });
    expect(jwks).not.toContain('"d"');
    await first.stop();

    const app = await startNext({ cwd: copy.dir, env: { ...env, AUTH_JWKS: jwks } });
    servers.push(app);
    const signUp = await fetch(`${app.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN },
      body: JSON.stringify({
        email: `deploy-${Date.now()}@example.com`,
        password: "correct-horse-1",
        name: "Deployer",
      }),
    });
    expect(signUp.status).toBe(200);
    const jar = new CookieJar();
    jar.store(signUp);
    expect(jar.get("__Host-eg.access")).toBeTruthy(); // https origin: Secure, __Host- cookie

    const page = await fetch(`${app.url}/dashboard`, pageRequest(jar.header()));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Deployer");
    const signedOut = await fetch(`${app.url}/dashboard`, pageRequest());
    expect(signedOut.status).toBe(307);
    expect(signedOut.headers.get("location")).toContain("/sign-in");
  });
});
