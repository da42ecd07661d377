/**
 * The security headers over real HTTP against `next start`, on every kind of
 * answer the app gives: pages, route handlers, Better Auth's API, static
 * assets, and each of the guard's own answers (307, 400, 401, 403, 503).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import { CONTENT_SECURITY_POLICY, STRICT_TRANSPORT_SECURITY } from "@/lib/edge/security-headers";
import type { CookieJar } from "../helpers/http";
import { pageRequest, signUp, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";
import { freePort } from "../helpers/ports";
import { makeKey, sign } from "../helpers/tokens";

let server: NextServer;
let keyless: NextServer;
let user: CookieJar;

beforeAll(async () => {
  server = await startNext();
  ({ jar: user } = await signUp(server.url, { email: uniqueEmail("hdr"), password: "correct-horse-1", name: "H" }));
  // Its base URL (where the edge fetches the JWKS) is a closed port: every token meets "no keys", a 503.
  keyless = await startNext({ env: { BETTER_AUTH_URL: `http://127.0.0.1:${await freePort()}` } });
});
afterAll(async () => {
  await server?.stop();
  await keyless?.stop();
});

function expectSecurityHeaders(response: Response): void {
  const h = response.headers;
  expect(h.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
  expect(h.get("content-security-policy")).toContain("frame-ancestors 'none'");
  expect(h.get("x-frame-options")).toBe("DENY");
  expect(h.get("x-content-type-options")).toBe("nosniff");
  expect(h.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  expect(h.get("permissions-policy")).toMatch(/camera=\(\)/);
}

type Case = [name: string, status: number, request: () => Promise<Response>];

const api = { headers: { accept: "application/json" }, redirect: "manual" } as const;
const cases: Case[] = [
  ["a static page (/)", 200, () => fetch(`${server.url}/`, pageRequest())],
  ["a dynamic page (/dashboard, signed in)", 200, () => fetch(`${server.url}/dashboard`, pageRequest(user.header()))],
  [
    "a route handler (/api/me, signed in)",
    200,
    () => fetch(`${server.url}/api/me`, { headers: { cookie: user.header() } }),
  ],
  [
    "a route handler's own 401 (POST /api/auth/refresh)",
    401,
    () => fetch(`${server.url}/api/auth/refresh`, { method: "POST" }),
  ],
  ["Better Auth's API (/api/auth/ok)", 200, () => fetch(`${server.url}/api/auth/ok`)],
  ["Better Auth's API (/api/auth/jwks)", 200, () => fetch(`${server.url}/api/auth/jwks`)],
  ["a 404 page", 404, () => fetch(`${server.url}/no-such-page`, pageRequest())],
  ["the guard's redirect to sign-in (307)", 307, () => fetch(`${server.url}/dashboard`, pageRequest())],
  ["the guard's 401 JSON", 401, () => fetch(`${server.url}/api/me`, api)],
  ["the guard's 403 page (user on /admin)", 403, () => fetch(`${server.url}/admin`, pageRequest(user.header()))],
  ["the guard's 400 (undecodable URL)", 400, () => fetch(`${server.url}/dashboard/%E0%A4%A`, pageRequest())],
  [
    "the guard's 503 (no signing keys)",
    503,
    async () => {
      const token = await sign(await makeKey());
      return fetch(`${keyless.url}/api/me`, { headers: { cookie: `${ACCESS_COOKIE}=${token}` } });
    },
  ],
];

describe("security headers on every answer", () => {
  it.each(cases)("%s", async (_name, status, request) => {
    const response = await request();
    expect(response.status).toBe(status);
    expectSecurityHeaders(response);
    expect(response.headers.get("strict-transport-security")).toBeNull(); // plain http
  });

  it("sends them on Next's static assets too", async () => {
    const html = await (await fetch(`${server.url}/`)).text();
    const asset = /\/_next\/static\/[^"]+\.js/.exec(html)?.[0];
    expect(asset).toBeTruthy();
    const response = await fetch(`${server.url}${asset}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("adds Strict-Transport-Security behind a TLS proxy (X-Forwarded-Proto: https), pages and guard answers alike", async () => {
    const https = { "x-forwarded-proto": "https", accept: "text/html", "sec-fetch-dest": "document" };
    for (const path of ["/", "/api/auth/ok", "/dashboard"]) {
      const response = await fetch(`${server.url}${path}`, { headers: https, redirect: "manual" });
      expect(response.headers.get("strict-transport-security")).toBe(STRICT_TRANSPORT_SECURITY);
    }
  });
});
