/**
 * Issue 12: every example backend verifies the kit's tokens the same way —
 * Node (`lib/examples/backend.ts`), FastAPI under uvicorn
 * (`lib/examples/fastapi/app.py`) and the Worker under `wrangler dev --local`
 * (`lib/examples/worker/`). One `next start`; each backend on a free port,
 * driven straight with one table of tokens and through the kit's
 * `/api/backend/*` proxy with a signed-up user's cookie. The backends fetch
 * the app's keys through a relay (`APP_URL`), which also plays the outages.
 */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import type { Fixture, JwksRelay } from "../helpers/backend-fixtures";
import { startJwksRelay, startRouter } from "../helpers/backend-fixtures";
import type { ChildServer } from "../helpers/child-server";
import { startExampleBackend } from "../helpers/example-backend";
import { pythonOrSkip, startFastApiBackend, startWorkerBackend, wranglerOrSkip } from "../helpers/example-backends";
import type { CookieJar } from "../helpers/http";
import { signUp, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";
import { freePort } from "../helpers/ports";
import type { TestKey } from "../helpers/tokens";
import { b64, makeKey, sign } from "../helpers/tokens";

const python = pythonOrSkip();
const BACKENDS = { node: true, fastapi: python !== undefined, worker: wranglerOrSkip() } as const;
type Name = keyof typeof BACKENDS;
const NAMES = Object.keys(BACKENDS) as Name[];

interface User {
  id: string;
  email: string;
  jar: CookieJar;
  token: string;
}

let appUrl: string;
let app: NextServer;
let relay: JwksRelay;
let router: Fixture;
const servers: Partial<Record<Name, ChildServer>> = {};
/** Where the router sends `/<name>/…`; filled once the backends are up. */
const routes: Record<string, string> = {};
const driven: Record<Name, number> = { node: 0, fastapi: 0, worker: 0 };
let ann: User;
let bob: User;
let trusted: TestKey;
let attacker: TestKey;

async function newUser(prefix: string): Promise<User> {
  const email = uniqueEmail(prefix);
  const { response, jar } = await signUp(app.url, { email, password: "correct-horse-1", name: `${prefix} user` });
  if (!response.ok) throw new Error(`sign-up failed: ${response.status}`);
  const me = (await (await fetch(`${app.url}/api/me`, { headers: { cookie: jar.header() } })).json()) as { id: string };
  return { id: me.id, email, jar, token: jar.get(ACCESS_COOKIE) as string };
}

/** How each backend is started, with the app's origin and the relay as `APP_URL`. */
const START: Record<Name, (env: { BETTER_AUTH_URL: string; APP_URL: string }) => Promise<ChildServer>> = {
  node: async (env) => {
    const server = await startExampleBackend(env);
    console.log(`[tests] Node backend started: tsx lib/examples/backend.ts on ${server.url}`);
    return server;
  },
  fastapi: (env) => startFastApiBackend(python ?? "python3", env),
  worker: startWorkerBackend,
};

async function startBackend(name: Name): Promise<void> {
  const server = await START[name]({ BETTER_AUTH_URL: appUrl, APP_URL: relay.url });
  servers[name] = server;
  routes[name] = server.url;
}

beforeAll(async () => {
  const port = await freePort();
  appUrl = `http://127.0.0.1:${port}`;
  [trusted, attacker] = await Promise.all([makeKey("trusted-test-key"), makeKey("attacker-key")]);
  // Down from the start: the first tests see backends that never had a key.
  relay = await startJwksRelay({ upstream: appUrl, extraKeys: [trusted.publicJwk], mode: "reset" });
  router = await startRouter(routes);
  const enabled = NAMES.filter((name) => BACKENDS[name]);
  [app] = await Promise.all([
    startNext({ port, env: { BETTER_AUTH_URL: appUrl, BACKEND_URL: router.url } }),
    ...enabled.map(startBackend),
  ]);
  ann = await newUser("ann");
  bob = await newUser("bob");
});

afterAll(async () => {
  const summary = NAMES.map((name) => (BACKENDS[name] ? `${name} ${driven[name]} requests` : `${name} skipped`));
  console.log(`[tests] example backends driven: ${summary.join(", ")}`);
  await Promise.all(Object.values(servers).map((server) => server.stop()));
  await router?.close();
  await relay?.close();
  await app?.stop();
});

const now = () => Math.floor(Date.now() / 1000);
const claims = (user: User, extra: Record<string, unknown> = {}) => ({
  iss: appUrl,
  aud: appUrl,
  sub: user.id,
  email: user.email,
  name: "Test",
  role: "user",
  ...extra,
});
const kidOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString()).kid;
const tampered = (token: string, user: User) => {
  const [h, p, s] = token.split(".") as [string, string, string];
  const payload = JSON.parse(Buffer.from(p, "base64url").toString());
  return `${h}.${b64({ ...payload, sub: user.id, email: user.email })}.${s}`;
};

/** One straight request: a token (or another `Authorization`), a path, what every backend must answer. */
interface Case {
  name: string;
  authorization: () => Promise<string | null>;
  path?: () => string;
  status: number;
  /** The failure code for a 401 (`reason`), as in `lib/edge/verify.ts`. */
  reason?: string;
  /** For a 2xx or 403: fields of the JSON body. */
  body?: () => Record<string, unknown>;
}

const bearer = (token: string) => `Bearer ${token}`;

const CASES: Case[] = [
  {
    name: "the app's own token (from the sign-up cookie)",
    authorization: async () => bearer(ann.token),
    status: 200,
    body: () => ({ sub: ann.id, email: ann.email, name: "ann user", role: "user" }),
  },
  {
    name: "the app's token on its user's own notes",
    authorization: async () => bearer(ann.token),
    path: () => `/users/${ann.id}/notes`,
    status: 200,
    body: () => ({ userId: ann.id }),
  },
  {
    name: "a fresh token from a trusted test key",
    authorization: async () => bearer(await sign(trusted, { claims: claims(bob) })),
    status: 200,
    body: () => ({ sub: bob.id, email: bob.email }),
  },
  {
    name: "another user's id in the path",
    authorization: async () => bearer(ann.token),
    path: () => `/users/${bob.id}/notes`,
    status: 403,
    body: () => ({ error: "forbidden" }),
  },
  { name: "no token", authorization: async () => null, status: 401, reason: "missing" },
  {
    name: "expired, with a valid signature",
    authorization: async () =>
      bearer(await sign(trusted, { claims: claims(bob, { iat: now() - 400, exp: now() - 60 }) })),
    status: 401,
    reason: "expired",
  },
  {
    name: "issued longer ago than the token lifetime, exp still ahead",
    authorization: async () => bearer(await sign(trusted, { claims: claims(bob, { iat: now() - 1000 }) })),
    status: 401,
    reason: "expired",
  },
  {
    name: "tampered: the app's token with Bob's id in its payload",
    authorization: async () => bearer(tampered(ann.token, bob)),
    status: 401,
    reason: "bad_signature",
  },
  {
    name: "forged: an attacker's key under the app's kid",
    authorization: async () => bearer(await sign({ ...attacker, kid: kidOf(ann.token) }, { claims: claims(bob) })),
    status: 401,
    reason: "bad_signature",
  },
  {
    name: "forged: an attacker's key under its own kid",
    authorization: async () => bearer(await sign(attacker, { claims: claims(bob) })),
    status: 401,
    reason: "unknown_kid",
  },
  {
    name: "unsigned (alg: none)",
    authorization: async () =>
      bearer(`${b64({ alg: "none" })}.${b64({ ...claims(bob), iat: now(), exp: now() + 300 })}.`),
    status: 401,
    reason: "malformed",
  },
  {
    name: "HS256 under the app's kid, the public key as the shared secret",
    authorization: async () => {
      const input = `${b64({ alg: "HS256", kid: kidOf(ann.token) })}.${b64({ ...claims(bob), iat: now(), exp: now() + 300 })}`;
      const jwks = await (await fetch(`${app.url}/api/auth/jwks`)).text();
      return bearer(`${input}.${createHmac("sha256", jwks).update(input).digest("base64url")}`);
    },
    status: 401,
    reason: "malformed",
  },
  {
    name: "wrong issuer",
    authorization: async () => bearer(await sign(trusted, { claims: claims(bob, { iss: "https://evil.example" }) })),
    status: 401,
    reason: "claims",
  },
  {
    name: "wrong audience",
    authorization: async () => bearer(await sign(trusted, { claims: claims(bob, { aud: "https://other.example" }) })),
    status: 401,
    reason: "claims",
  },
  {
    name: "no sub",
    authorization: async () => bearer(await sign(trusted, { claims: claims(bob, { sub: undefined }) })),
    status: 401,
    reason: "claims",
  },
  {
    name: "issued in the future",
    authorization: async () =>
      bearer(await sign(trusted, { claims: claims(bob, { iat: now() + 600, exp: now() + 900 }) })),
    status: 401,
    reason: "claims",
  },
  { name: "not a JWT", authorization: async () => "Bearer not-a-jwt", status: 401, reason: "malformed" },
  { name: "another scheme (Basic)", authorization: async () => "Basic Zm9vOmJhcg==", status: 401, reason: "malformed" },
];

async function straight(name: Name, authorization: string | null, path = "/whoami"): Promise<Response> {
  driven[name]++;
  return fetch(`${servers[name]?.url}${path}`, { headers: authorization === null ? {} : { authorization } });
}

/** Asserts one answer: status, JSON, no caching, and on a 401 the reason and the Bearer challenge. */
async function expectAnswer(response: Response, expected: Omit<Case, "name" | "authorization" | "path">) {
  const body = (await response.json()) as Record<string, unknown>;
  expect({ status: response.status, body }).toMatchObject({
    status: expected.status,
    body: expected.status === 401 ? { error: "unauthorized", reason: expected.reason } : (expected.body?.() ?? {}),
  });
  expect(response.headers.get("cache-control")).toBe("private, no-store");
  if (expected.status !== 401) return;
  const challenge = response.headers.get("www-authenticate");
  if (expected.reason === "missing") expect(challenge).toBe("Bearer");
  else expect(challenge).toMatch(/^Bearer error="invalid_token"/);
}

const OUTAGE = { status: 503, body: () => ({ error: "auth_unavailable", reason: "jwks_unavailable" }) };

for (const name of NAMES) {
  describe.skipIf(!BACKENDS[name])(`${name} backend: JWKS unreachable before any key was fetched`, () => {
    for (const mode of ["reset", "error"] as const) {
      it(`answers a valid token 503, never 401 (JWKS ${mode === "reset" ? "connection dropped" : "answering 503"})`, async () => {
        relay.setMode(mode);
        const hits = relay.hits();
        // Right after a failed fetch a backend may answer 503 without trying again (its minimum gap): poll
        // until one answer came after a real attempt in this mode.
        let answer: Response | undefined;
        const attempted = async () => {
          answer = await straight(name, bearer(ann.token));
          return relay.hits() > hits;
        };
        await expect.poll(attempted, { timeout: 30_000 }).toBe(true);
        await expectAnswer(answer as Response, OUTAGE);
      });
    }

    it("refuses junk with 401 without fetching keys", async () => {
      const hits = relay.hits();
      for (const c of CASES.filter((c) => ["missing", "malformed"].includes(c.reason ?? ""))) {
        await expectAnswer(await straight(name, await c.authorization()), c);
      }
      expect(relay.hits()).toBe(hits);
    });

    it("passes the 503 through the proxy and signs no one out", async () => {
      const response = await fetch(`${app.url}/api/backend/${name}/whoami`, { headers: { cookie: ann.jar.header() } });
      await expectAnswer(response, OUTAGE);
      expect(response.headers.getSetCookie().filter((c) => c.startsWith(`${ACCESS_COOKIE}=`))).toEqual([]);
      const token = await fetch(`${app.url}/api/auth/token`, { headers: { cookie: ann.jar.header() } });
      expect(token.status).toBe(200);
    });
  });
}

for (const name of NAMES) {
  describe.skipIf(!BACKENDS[name])(`${name} backend, straight`, () => {
    beforeAll(async () => {
      relay.setMode("up");
      // The last fetch failed: the backend may wait out its minimum gap before it fetches again.
      for (let tries = 0; (await straight(name, bearer(ann.token))).status !== 200; tries++) {
        if (tries > 100) throw new Error(`the ${name} backend did not verify a valid token after the JWKS came back`);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    });
    for (const c of CASES) {
      it(`answers ${c.name}: ${c.status}${c.reason ? ` ${c.reason}` : ""}`, async () => {
        await expectAnswer(await straight(name, await c.authorization(), c.path?.()), c);
      });
    }

    it("fetches its keys at most twice for a burst of eight unknown kids (one fetch at a time, a gap between)", async () => {
      const tokens = await Promise.all(
        Array.from({ length: 8 }, (_, i) => sign({ ...attacker, kid: `flood-${name}-${i}` }, { claims: claims(bob) })),
      );
      const hits = relay.hits();
      const answers = await Promise.all(tokens.map((token) => straight(name, bearer(token))));
      for (const answer of answers) await expectAnswer(answer, { status: 401, reason: "unknown_kid" });
      // The requests that arrived before the first fetch started share it; later ones share the next.
      expect(relay.hits() - hits).toBeLessThanOrEqual(2);
    });
  });
}

/** One request through `/api/backend/<name>/…` with a browser session's cookie. */
interface ProxyCase {
  name: string;
  cookie: () => string | undefined;
  method?: "GET" | "POST";
  path: () => string;
  body?: (name: Name) => unknown;
  status: number;
  expectJson: (name: Name) => Record<string, unknown>;
}

const PROXY_CASES: ProxyCase[] = [
  {
    name: "the user's cookie: the backend sees their sub",
    cookie: () => ann.jar.header(),
    path: () => "/whoami",
    status: 200,
    expectJson: () => ({ sub: ann.id, email: ann.email }),
  },
  {
    name: "a note added to the user's own notes",
    cookie: () => ann.jar.header(),
    method: "POST",
    path: () => `/users/${ann.id}/notes`,
    body: (name) => ({ text: `written through ${name}` }),
    status: 201,
    expectJson: (name) => ({ userId: ann.id, notes: [`written through ${name}`] }),
  },
  {
    name: "the user's own notes",
    cookie: () => ann.jar.header(),
    path: () => `/users/${ann.id}/notes`,
    status: 200,
    expectJson: (name) => ({ userId: ann.id, notes: [`written through ${name}`] }),
  },
  {
    name: "another user's notes with the user's cookie",
    cookie: () => ann.jar.header(),
    path: () => `/users/${bob.id}/notes`,
    status: 403,
    expectJson: () => ({ error: "forbidden" }),
  },
  {
    name: "no cookie (the kit answers)",
    cookie: () => undefined,
    path: () => "/whoami",
    status: 401,
    expectJson: () => ({ error: "unauthorized" }),
  },
  {
    name: "a tampered access cookie (the kit answers)",
    cookie: () => `${ACCESS_COOKIE}=${tampered(ann.token, bob)}`,
    path: () => "/whoami",
    status: 401,
    expectJson: () => ({ error: "unauthorized" }),
  },
];

for (const name of NAMES) {
  describe.skipIf(!BACKENDS[name])(`${name} backend, through /api/backend/*`, () => {
    for (const c of PROXY_CASES) {
      it(`answers ${c.name}: ${c.status}`, async () => {
        const cookie = c.cookie();
        const body = c.body?.(name);
        driven[name]++;
        const response = await fetch(`${app.url}/api/backend/${name}${c.path()}`, {
          method: c.method ?? "GET",
          headers: {
            ...(cookie ? { cookie } : {}),
            ...(body === undefined ? {} : { "content-type": "application/json", origin: appUrl }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        expect({ status: response.status, body: await response.json() }).toMatchObject({
          status: c.status,
          body: c.expectJson(name),
        });
        expect(response.headers.get("cache-control")).toBe("private, no-store");
      });
    }
  });
}

for (const name of NAMES) {
  describe.skipIf(!BACKENDS[name])(`${name} backend: JWKS unreachable after keys were fetched`, () => {
    beforeAll(() => relay.setMode("error"));

    it("keeps valid tokens working from its cached keys and still refuses bad ones", async () => {
      await expectAnswer(await straight(name, bearer(ann.token)), CASES[0] as Case);
      const fresh = await sign(trusted, { claims: claims(bob, { name: `fresh for ${name}` }) });
      await expectAnswer(await straight(name, bearer(fresh)), { status: 200, body: () => ({ sub: bob.id }) });
      for (const reason of ["bad_signature", "malformed", "missing"]) {
        const c = CASES.find((c) => c.reason === reason) as Case;
        await expectAnswer(await straight(name, await c.authorization()), c);
      }
      const proxied = await fetch(`${app.url}/api/backend/${name}/whoami`, { headers: { cookie: ann.jar.header() } });
      expect(proxied.status).toBe(200);
    });
  });
}

describe("logs", () => {
  it("no backend wrote a token into its output", () => {
    for (const server of Object.values(servers)) {
      for (const user of [ann, bob]) expect(server.output()).not.toContain(user.token);
    }
  });
});
