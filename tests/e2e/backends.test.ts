/**
 * Issue 5: backends receive pre-verified requests. Real HTTP against
 * `next start` and the example backend (`npm run backend:example`) as child
 * processes: the proxy, the server-side API client, the backend's own
 * verification, user isolation, forged identity headers with and without the
 * middleware, and the display-name Server Action in Chromium.
 */

import { readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import type { AppCopy } from "../helpers/app-copy";
import { buildAppCopy } from "../helpers/app-copy";
import { browserMissing, launchBrowser } from "../helpers/browser";
import type { ExampleBackend } from "../helpers/example-backend";
import { startExampleBackend } from "../helpers/example-backend";
import { CookieJar, signUp, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { ROOT, startNext } from "../helpers/next-server";
import { freePort } from "../helpers/ports";
import type { TestKey } from "../helpers/tokens";
import { b64, makeKey, sign } from "../helpers/tokens";

interface User {
  id: string;
  email: string;
  jar: CookieJar;
  token: string;
}

let app: NextServer;
let backend: ExampleBackend;
/** A second backend trusting the app's keys plus one test key, so an expired token can carry a valid signature. */
let staticBackend: ExampleBackend;
let trustedKey: TestKey;
let attackerKey: TestKey;
let appUrl: string;
let ann: User;
let bob: User;

const PASSWORD = "correct-horse-1";

async function newUser(prefix: string): Promise<User> {
  const email = uniqueEmail(prefix);
  const { response, jar } = await signUp(app.url, { email, password: PASSWORD, name: `${prefix} user` });
  if (!response.ok) throw new Error(`sign-up failed: ${response.status}`);
  const me = (await (await fetch(`${app.url}/api/me`, { headers: { cookie: jar.header() } })).json()) as { id: string };
  return { id: me.id, email, jar, token: jar.get(ACCESS_COOKIE) as string };
}

/**
 * A second session of an existing user (sign-in), for tests that end a
 * session: new accounts would hit Better Auth's sign-up rate limit.
 */
async function anotherSession(user: User): Promise<User> {
  const jar = new CookieJar();
  const response = await fetch(`${app.url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: app.url },
    body: JSON.stringify({ email: user.email, password: PASSWORD }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status}`);
  jar.store(response);
  return { ...user, jar, token: jar.get(ACCESS_COOKIE) as string };
}

/** A request with headers `fetch` refuses to send (hop-by-hop ones), byte for byte. */
function rawRequest(
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? "GET", headers: init.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

beforeAll(async () => {
  const port = await freePort();
  appUrl = `http://127.0.0.1:${port}`;
  backend = await startExampleBackend({ BETTER_AUTH_URL: appUrl, BACKEND_DEBUG: "1" });
  app = await startNext({
    port,
    env: { BETTER_AUTH_URL: appUrl, BACKEND_URL: backend.url },
  });
  ann = await newUser("ann");
  bob = await newUser("bob");
  trustedKey = await makeKey("trusted-test-key");
  attackerKey = await makeKey("attacker-key");
  const appKeys = (await (await fetch(`${app.url}/api/auth/jwks`)).json()) as { keys: object[] };
  staticBackend = await startExampleBackend({
    BETTER_AUTH_URL: appUrl,
    AUTH_JWKS: JSON.stringify({ keys: [...appKeys.keys, trustedKey.publicJwk] }),
  });
});
afterAll(async () => {
  await staticBackend?.stop();
  await backend?.stop();
  await app?.stop();
});

describe("proxy /api/backend/*", () => {
  it("forwards a browser's cookie call to the backend, which sees the user's own sub", async () => {
    const response = await fetch(`${app.url}/api/backend/whoami`, { headers: { cookie: ann.jar.header() } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sub: ann.id, email: ann.email });
    expect(response.headers.get("cache-control")).toBe("private, no-store");
  });

  it("forwards method, path, query and body", async () => {
    const response = await fetch(`${app.url}/api/backend/debug/echo?q=a%20b&n=1`, {
      method: "PUT",
      headers: { cookie: ann.jar.header(), "content-type": "application/json", "x-request-id": "req-42" },
      body: JSON.stringify({ hello: "wörld" }),
    });
    expect(response.status).toBe(200);
    const echo = (await response.json()) as {
      method: string;
      path: string;
      query: object;
      body: string;
      headers: object;
    };
    expect(echo).toMatchObject({ method: "PUT", path: "/debug/echo", query: { q: "a b", n: "1" } });
    expect(JSON.parse(echo.body)).toEqual({ hello: "wörld" });
    expect(echo.headers).toMatchObject({ "content-type": "application/json", "x-request-id": "req-42" });
  });

  it("strips cookies, hop-by-hop and client identity headers; the backend gets only the Bearer token", async () => {
    const { status, body } = await rawRequest(`${app.url}/api/backend/debug/echo`, {
      headers: {
        cookie: ann.jar.header(),
        connection: "keep-alive, x-hop-secret",
        "x-hop-secret": "hop",
        "proxy-authorization": "Basic Zm9vOmJhcg==",
        "x-auth-user-id": bob.id,
        "x-auth-user-email": bob.email,
        "x-auth-user-role": "admin",
        "x-auth-token": "forged.token.value",
        "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware",
        "x-forwarded-host": "evil.example",
        "x-custom": "kept",
      },
    });
    expect(status).toBe(200);
    const echo = JSON.parse(body) as { sub: string; headers: Record<string, string> };
    expect(echo.sub).toBe(ann.id);
    expect(echo.headers.authorization).toBe("Bearer [redacted]");
    expect(echo.headers["x-custom"]).toBe("kept");
    const names = Object.keys(echo.headers);
    expect(names.filter((n) => n.startsWith("x-auth-") || n.startsWith("x-middleware-"))).toEqual([]);
    for (const name of ["cookie", "x-hop-secret", "proxy-authorization", "x-forwarded-host"]) {
      expect(names).not.toContain(name);
    }
    expect(body).not.toContain(bob.id);
  });

  it("keeps users apart: the backend serves a user's notes to that user alone", async () => {
    const add = await fetch(`${app.url}/api/backend/users/${ann.id}/notes`, {
      method: "POST",
      headers: { cookie: ann.jar.header(), "content-type": "application/json", origin: appUrl },
      body: JSON.stringify({ text: "ann's secret" }),
    });
    expect(add.status).toBe(201);
    const own = await fetch(`${app.url}/api/backend/users/${ann.id}/notes`, { headers: { cookie: ann.jar.header() } });
    expect(await own.json()).toEqual({ userId: ann.id, notes: ["ann's secret"] });
    const other = await fetch(`${app.url}/api/backend/users/${ann.id}/notes`, {
      headers: { cookie: bob.jar.header() },
    });
    expect(other.status).toBe(403);
    expect(await other.text()).not.toContain("secret");
  });

  // Paths that try to climb out of the user's own resource or out of BACKEND_URL.
  const paths: Array<[string, (victim: string, me: string) => string, number]> = [
    ["another user's id", (victim) => `/users/${victim}/notes`, 403],
    // URL parsing resolves `%2e%2e` like `..`: the path lands on the victim's notes, and isolation answers.
    ["dot-dot encoded", (victim, me) => `/users/${me}/%2e%2e/${victim}/notes`, 403],
    ["encoded slash", (victim, me) => `/users/${me}%2F..%2F${victim}/notes`, 400],
    ["encoded backslash", (victim, me) => `/users/${me}%5C..%5C${victim}/notes`, 400],
    ["empty segment (Next redirects to the normalised path)", (victim) => `/users//${victim}/notes`, 308],
  ];
  for (const [name, build, expected] of paths) {
    it(`refuses ${name} with ${expected}`, async () => {
      const { status, body } = await rawRequest(`${app.url}/api/backend${build(bob.id, ann.id)}`, {
        headers: { cookie: ann.jar.header() },
      });
      expect(status).toBe(expected);
      expect(body).not.toContain('notes":[');
    });
  }

  it("answers 401 JSON without a valid identity", async () => {
    for (const cookie of [undefined, `${ACCESS_COOKIE}=${ann.token.slice(0, -4)}AAAA`]) {
      const response = await fetch(`${app.url}/api/backend/whoami`, { headers: cookie ? { cookie } : {} });
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(await response.json()).toMatchObject({ error: "unauthorized" });
    }
  });

  it("refuses a cross-site write riding on the cookie", async () => {
    const response = await fetch(`${app.url}/api/backend/users/${ann.id}/notes`, {
      method: "POST",
      headers: { cookie: ann.jar.header(), origin: "https://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ text: "planted" }),
    });
    expect(response.status).toBe(403);
  });

  it("signs the user out when the backend refuses the token twice (refresh once, retry once)", async () => {
    const session = await anotherSession(bob);
    const response = await fetch(`${app.url}/api/backend/debug/reject`, { headers: { cookie: session.jar.header() } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "unauthorized", reason: "signed_out" });
    expect(
      response.headers.getSetCookie().some((c) => c.startsWith(`${ACCESS_COOKIE}=;`) && /max-age=0/i.test(c)),
    ).toBe(true);
    const token = await fetch(`${app.url}/api/auth/token`, { headers: { cookie: session.jar.header() } });
    expect(token.status).toBe(401); // that session is revoked; Bob's other session lives on
    const other = await fetch(`${app.url}/api/auth/token`, { headers: { cookie: bob.jar.header() } });
    expect(other.status).toBe(200);
  });
});

describe("the example backend verifies tokens itself", () => {
  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({ iss: appUrl, aud: appUrl, sub: bob.id, email: bob.email, role: "admin" });

  it("serves the app's own token, straight from the cookie, with the user's sub", async () => {
    const response = await fetch(`${backend.url}/whoami`, { headers: { authorization: `Bearer ${ann.token}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sub: ann.id, email: ann.email });
  });

  it("refuses another user's data even with a valid token (403)", async () => {
    const response = await fetch(`${backend.url}/users/${encodeURIComponent(bob.id)}/notes`, {
      headers: { authorization: `Bearer ${ann.token}` },
    });
    expect(response.status).toBe(403);
  });

  // Every token here claims to be Bob; each must get 401 and nothing of Bob's.
  const hostile: Array<[string, () => Promise<string | null>, string]> = [
    ["no token", async () => null, "missing"],
    [
      "forged: signed by an attacker key under the app's kid",
      async () => {
        const kid = JSON.parse(Buffer.from(ann.token.split(".")[0] as string, "base64url").toString()).kid as string;
        return sign({ ...attackerKey, kid }, { claims: claims() });
      },
      "bad_signature",
    ],
    ["forged: signed by an unknown key", async () => sign(attackerKey, { claims: claims() }), "unknown_kid"],
    [
      "unsigned (alg none)",
      async () => `${b64({ alg: "none" })}.${b64({ ...claims(), iat: now(), exp: now() + 300 })}.`,
      "malformed",
    ],
    [
      "the app's token with its payload swapped for Bob's",
      async () => {
        const [h, p, s] = ann.token.split(".") as [string, string, string];
        const payload = JSON.parse(Buffer.from(p, "base64url").toString());
        return `${h}.${b64({ ...payload, sub: bob.id, email: bob.email })}.${s}`;
      },
      "bad_signature",
    ],
  ];
  for (const [name, build, reason] of hostile) {
    it(`refuses ${name} with 401 ${reason}`, async () => {
      const token = await build();
      const response = await fetch(`${backend.url}/users/${bob.id}/notes`, {
        headers: token === null ? {} : { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await response.json()).toMatchObject({ error: "unauthorized", reason });
    });
  }

  it("refuses an expired token whose signature is valid, and accepts a fresh one from the same key", async () => {
    const expired = await sign(trustedKey, { claims: { ...claims(), iat: now() - 400, exp: now() - 60 } });
    const stale = await fetch(`${staticBackend.url}/whoami`, { headers: { authorization: `Bearer ${expired}` } });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toMatchObject({ reason: "expired" });
    const fresh = await sign(trustedKey, { claims: claims() });
    const ok = await fetch(`${staticBackend.url}/whoami`, { headers: { authorization: `Bearer ${fresh}` } });
    expect(ok.status).toBe(200);
  });

  it("accepts the app's tokens from static keys (AUTH_JWKS) with no fetch", async () => {
    const response = await fetch(`${staticBackend.url}/whoami`, { headers: { authorization: `Bearer ${ann.token}` } });
    expect(await response.json()).toMatchObject({ sub: ann.id });
  });
});

/** What an attacker sends to pass as Bob: his id and email in identity headers, a made-up token. */
function forgedIdentity(): Record<string, string> {
  return {
    "x-auth-user-id": bob.id,
    "x-auth-user-email": encodeURIComponent(bob.email),
    "x-auth-user-name": "Bob",
    "x-auth-user-role": "admin",
    "x-auth-token": `${b64({ alg: "none" })}.${b64({ sub: bob.id })}.`,
  };
}

/** `x-middleware-subrequest` values that skipped middleware in unpatched Next (CVE-2025-29927) and close variants. */
const SUBREQUEST_VARIANTS = [
  undefined,
  "middleware",
  "middleware:middleware:middleware:middleware:middleware",
  "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware",
  "proxy:proxy:proxy:proxy:proxy",
  "pages/_middleware",
];

describe("forged identity headers, with x-middleware-subrequest", () => {
  for (const variant of SUBREQUEST_VARIANTS) {
    for (const route of ["/api/me", "/api/backend/whoami"]) {
      it(`answers ${route} 401 to a forged x-auth-user-id (x-middleware-subrequest: ${variant ?? "absent"})`, async () => {
        const headers = { ...forgedIdentity(), ...(variant ? { "x-middleware-subrequest": variant } : {}) };
        const response = await fetch(`${app.url}${route}`, { headers });
        expect(response.status).toBe(401);
        const body = await response.text();
        expect(body).not.toContain(bob.id);
        expect(body).not.toContain(bob.email);
      });
    }
  }

  it("answers /api/me with the token's user, whatever identity headers come with it", async () => {
    const headers = { ...forgedIdentity(), cookie: ann.jar.header(), "x-middleware-subrequest": "middleware" };
    const response = await fetch(`${app.url}/api/me`, { headers });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: ann.id, email: ann.email });
  });
});

describe("with no middleware at all (a matcher miss), the handlers still check the token", () => {
  let copy: AppCopy | undefined;
  let bare: NextServer | undefined;
  let actionId: string;

  beforeAll(async () => {
    copy = await buildAppCopy({ middleware: "none" });
    bare = await startNext({ cwd: copy.dir, env: { BACKEND_URL: backend.url } });
    const manifest = JSON.parse(
      await readFile(path.join(copy.dir, ".next/server/server-reference-manifest.json"), "utf8"),
    );
    const entry = Object.entries(manifest.node as Record<string, { exportedName: string }>).find(
      ([, action]) => action.exportedName === "updateDisplayName",
    );
    actionId = entry?.[0] ?? "";
  });
  afterAll(async () => {
    await bare?.stop();
    await copy?.remove();
  });

  for (const route of ["/api/me", "/api/backend/whoami"]) {
    it(`answers ${route} 401 JSON to forged identity headers`, async () => {
      const response = await fetch(`${bare?.url}${route}`, { headers: forgedIdentity() });
      expect(response.status).toBe(401);
      const body = await response.text();
      expect(body).not.toContain(bob.id);
      expect(JSON.parse(body)).toMatchObject({ error: "unauthorized", reason: "missing" });
    });
  }

  it("sends a /dashboard visitor with forged headers to sign-in", async () => {
    const response = await fetch(`${bare?.url}/dashboard`, {
      redirect: "manual",
      headers: { ...forgedIdentity(), accept: "text/html", "sec-fetch-dest": "document" },
    });
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toContain("/sign-in?next=%2Fdashboard");
  });

  it("sends a /dashboard visitor with a live session but no access JWT to the refresh hop", async () => {
    const url = bare?.url ?? "";
    const { jar } = await signUp(url, { email: uniqueEmail("bare"), password: PASSWORD, name: "Bare" });
    jar.cookies.delete(ACCESS_COOKIE);
    const response = await fetch(`${url}/dashboard`, {
      redirect: "manual",
      headers: { ...forgedIdentity(), cookie: jar.header(), accept: "text/html", "sec-fetch-dest": "document" },
    });
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toContain("/api/auth/refresh?next=%2Fdashboard");
  });

  it("has the display-name Server Action refuse a signed-out caller with a clear error", async () => {
    expect(actionId).not.toBe("");
    const response = await fetch(`${bare?.url}/dashboard`, {
      method: "POST",
      headers: {
        ...forgedIdentity(),
        "next-action": actionId,
        "content-type": "text/plain;charset=UTF-8",
        origin: bare?.url ?? "",
      },
      body: "[]",
    });
    expect(response.headers.get("content-type")).toContain("text/x-component");
    expect(await response.text()).toContain("You are signed out. Sign in again to change your name.");
  });
});

describe("dashboard: the server-side API client", () => {
  it("renders what the backend says, asked from the server with the user's token", async () => {
    const response = await fetch(`${app.url}/dashboard`, {
      headers: { cookie: ann.jar.header(), accept: "text/html", "sec-fetch-dest": "document" },
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(new RegExp(`data-testid="backend-sub">${ann.id}<`));
    expect(html).not.toContain(ann.token);
  });

  it("answers a signed-out Server Action call with the guard's 401 JSON, before the action runs", async () => {
    const manifest = JSON.parse(await readFile(path.join(ROOT, ".next/server/server-reference-manifest.json"), "utf8"));
    const [actionId] = Object.keys(manifest.node as object);
    const response = await fetch(`${app.url}/dashboard`, {
      method: "POST",
      headers: { "next-action": actionId ?? "", "content-type": "text/plain;charset=UTF-8", origin: appUrl },
      body: "[]",
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "unauthorized" });
  });
});

describe.skipIf(browserMissing)("dashboard in Chromium: Server Action and browser API client", () => {
  async function signedInPage(user: User) {
    const browser = await launchBrowser();
    const context = await browser.newContext();
    const { hostname } = new URL(app.url);
    await context.addCookies(
      [...user.jar.cookies].map(([name, value]) => ({ name, value, domain: hostname, path: "/", httpOnly: true })),
    );
    const page = await context.newPage();
    page.setDefaultTimeout(20_000); // fail with a locator message, not the test timeout, if the page is wrong
    await page.goto(`${app.url}/dashboard`);
    return { browser, context, page };
  }

  it("updates the display name: the page and /api/me show the new name", async () => {
    const { browser, page } = await signedInPage(bob);
    try {
      await page.getByLabel("Display name").fill("Bob Renamed");
      await page.getByRole("button", { name: "Save name" }).click();
      await expect.poll(() => page.getByRole("status").textContent()).toBe("Saved.");
      await expect.poll(() => page.getByTestId("display-name").textContent()).toBe("Bob Renamed");
      const me = await page.request.get(`${app.url}/api/me`);
      expect(await me.json()).toMatchObject({ id: bob.id, name: "Bob Renamed" });
    } finally {
      await browser.close();
    }
  });

  it("shows a clear error, not a crash, when a signed-out user submits the form", async () => {
    const { browser, context, page } = await signedInPage(ann);
    try {
      await context.clearCookies();
      await page.getByLabel("Display name").fill("Nobody");
      await page.getByRole("button", { name: "Save name" }).click();
      await expect
        .poll(() => page.locator("form [role=alert] p.error").textContent())
        .toBe("You are signed out. Sign in again to change your name.");
    } finally {
      await browser.close();
    }
  });

  it("asks the backend through the proxy, refreshing a missing token once, and never exposes it to script", async () => {
    const { browser, context, page } = await signedInPage(ann);
    try {
      await page.getByRole("button", { name: "Ask the backend from the browser" }).click();
      await expect.poll(() => page.getByTestId("browser-backend-answer").textContent()).toContain(ann.id);
      await context.clearCookies({ name: ACCESS_COOKIE }); // the session cookie stays: the client refreshes
      await page.getByRole("button", { name: "Ask the backend from the browser" }).click();
      await expect.poll(async () => (await context.cookies()).some((c) => c.name === ACCESS_COOKIE)).toBe(true);
      await expect.poll(() => page.getByTestId("browser-backend-answer").textContent()).toContain(ann.id);
      expect(await page.evaluate(() => document.cookie)).not.toContain(ACCESS_COOKIE);
    } finally {
      await browser.close();
    }
  });

  it("signs out and goes to sign-in when the refresh finds no session", async () => {
    const session = await anotherSession(ann);
    const { browser, context, page } = await signedInPage(session);
    try {
      await fetch(`${app.url}/api/auth/sign-out`, {
        method: "POST",
        headers: { cookie: session.jar.header(), origin: appUrl, "content-type": "application/json" },
        body: "{}",
      });
      await context.clearCookies({ name: ACCESS_COOKIE });
      await page.getByRole("button", { name: "Ask the backend from the browser" }).click();
      await page.waitForURL(/\/sign-in\?next=%2Fdashboard$/);
    } finally {
      await browser.close();
    }
  });
});

// Last: stops the backend.
describe("backend down", () => {
  it("answers the proxy 502 JSON with a clear error, and the dashboard still renders", async () => {
    await backend.stop();
    const response = await fetch(`${app.url}/api/backend/whoami`, { headers: { cookie: ann.jar.header() } });
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({
      error: "bad_gateway",
      message: "The backend is unreachable; try again shortly.",
    });
    const page = await fetch(`${app.url}/dashboard`, { headers: { cookie: ann.jar.header(), accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("The backend is unreachable.");
  });

  it("never wrote a token into the server's logs", () => {
    for (const user of [ann, bob]) expect(app.output()).not.toContain(user.token);
  });
});
