/**
 * The guard over real HTTP against `next start`: hostile input, refresh hop,
 * roles, sign-in redirects, headers. Every hostile case answers 307/401/403
 * (or 404 for a path Next itself does not serve): never 200 with data, never 5xx.
 */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import { CookieJar, locationPath, pageRequest, rawGet, signUp, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";
import { b64, makeKey, sign } from "../helpers/tokens";

let server: NextServer;
let user: CookieJar;
let admin: CookieJar;
let token: string;
const adminEmail = uniqueEmail("admin");
const userEmail = uniqueEmail("guard");

beforeAll(async () => {
  server = await startNext({ env: { AUTH_ADMIN_EMAILS: adminEmail } });
  ({ jar: user } = await signUp(server.url, { email: userEmail, password: "correct-horse-1", name: "Guard User" }));
  ({ jar: admin } = await signUp(server.url, { email: adminEmail, password: "correct-horse-1", name: "Admin" }));
  token = user.get(ACCESS_COOKIE) as string;
});
afterAll(() => server?.stop());

const access = (t: string) => `${ACCESS_COOKIE}=${t}`;
const parts = () => token.split(".") as [string, string, string];
const payload = () => JSON.parse(Buffer.from(parts()[1], "base64url").toString()) as Record<string, unknown>;

describe("hostile tokens over HTTP", () => {
  const hostile: Array<[string, () => Promise<string>]> = [
    ["alg none", async () => `${b64({ alg: "none" })}.${parts()[1]}.`],
    ["alg None", async () => `${b64({ alg: "None", kid: "x" })}.${parts()[1]}.`],
    [
      "alg missing",
      async () =>
        `${b64({ kid: JSON.parse(Buffer.from(parts()[0], "base64url").toString()).kid })}.${parts()[1]}.${parts()[2]}`,
    ],
    [
      "HS256 keyed with the public JWK",
      async () => {
        const jwks = (await (await fetch(`${server.url}/api/auth/jwks`)).json()) as { keys: unknown[] };
        const head = b64({ alg: "HS256", kid: (jwks.keys[0] as { kid: string }).kid });
        const mac = createHmac("sha256", JSON.stringify(jwks.keys[0]))
          .update(`${head}.${parts()[1]}`)
          .digest("base64url");
        return `${head}.${parts()[1]}.${mac}`;
      },
    ],
    [
      "attacker key with embedded jwk",
      async () => {
        const k = await makeKey();
        return sign(k, { claims: { ...payload() }, header: { jwk: k.publicJwk } });
      },
    ],
    [
      "attacker key with jku",
      async () => sign(await makeKey(), { claims: { ...payload() }, header: { jku: `${server.url}/api/auth/jwks` } }),
    ],
    [
      "attacker key with x5u",
      async () => sign(await makeKey(), { claims: { ...payload() }, header: { x5u: "http://127.0.0.1:1/x" } }),
    ],
    [
      "attacker key with x5c",
      async () => sign(await makeKey(), { claims: { ...payload() }, header: { x5c: ["MIIB"] } }),
    ],
    ["kid traversal", async () => sign(await makeKey("../../../etc/passwd"), { claims: { ...payload() } })],
    ["kid injection", async () => sign(await makeKey("x' OR '1'='1"), { claims: { ...payload() } })],
    ["empty signature", async () => `${parts()[0]}.${parts()[1]}.`],
    ["zero signature", async () => `${parts()[0]}.${parts()[1]}.${Buffer.alloc(64).toString("base64url")}`],
    ["truncated signature", async () => token.slice(0, -8)],
    [
      "bit-flipped signature",
      async () => {
        const sig = Buffer.from(parts()[2], "base64url");
        sig[0] = (sig[0] ?? 0) ^ 1;
        return `${parts()[0]}.${parts()[1]}.${sig.toString("base64url")}`;
      },
    ],
    [
      "tampered payload (role admin)",
      async () => `${parts()[0]}.${b64({ ...payload(), role: "admin" })}.${parts()[2]}`,
    ],
    [
      "unknown crit",
      async () =>
        `${b64({ ...JSON.parse(Buffer.from(parts()[0], "base64url").toString()), crit: ["x"] })}.${parts()[1]}.${parts()[2]}`,
    ],
    ["oversized token", async () => `${parts()[0]}.${"A".repeat(6000)}.${parts()[2]}`],
    ["garbage", async () => "%%%not-a-token%%%"],
  ];

  it.each(hostile)("%s: page 307 to sign-in, API 401", async (_name, make) => {
    const bad = await make();
    const page = await fetch(`${server.url}/dashboard`, pageRequest(access(bad)));
    expect(page.status).toBe(307);
    expect(locationPath(page)).toBe("/sign-in?next=%2Fdashboard");
    const api = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${bad}` } });
    expect(api.status).toBe(401);
    const admin = await fetch(`${server.url}/admin`, pageRequest(access(bad)));
    expect(admin.status).toBe(307);
  });

  it("refuses duplicate access cookies and a cookie that disagrees with the Bearer header", async () => {
    const other = admin.get(ACCESS_COOKIE) as string;
    const dup = await fetch(`${server.url}/api/me`, { headers: { cookie: `${access(token)}; ${access(other)}` } });
    expect(dup.status).toBe(401);
    const mixed = await fetch(`${server.url}/api/me`, {
      headers: { cookie: access(other), authorization: `Bearer ${token}` },
    });
    expect(mixed.status).toBe(401);
  });

  it("ignores spoofed identity headers and x-middleware-subrequest", async () => {
    const spoof = {
      "x-auth-user-id": "victim",
      "x-auth-user-email": "victim%40example.com",
      "x-auth-user-role": "admin",
      "x-auth-token": token,
      "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware",
    };
    for (const path of ["/api/me", "/dashboard", "/admin"]) {
      const response = await fetch(`${server.url}${path}`, { redirect: "manual", headers: spoof });
      expect([307, 401]).toContain(response.status);
    }
    const withMine = await fetch(`${server.url}/api/me`, { headers: { ...spoof, authorization: `Bearer ${token}` } });
    expect(((await withMine.json()) as { email: string }).email).toBe(userEmail);
  });
});

describe("path variants over HTTP", () => {
  const paths = [
    "/Dashboard",
    "/DASHBOARD",
    "//dashboard",
    "/dashboard/",
    "/./dashboard",
    "/dashboard%2F",
    "/%64ashboard",
    "/dashboard;x",
    "/x/../dashboard",
    "/api/ME",
    "//api/me",
    "/api/me/",
    "/Admin",
  ];
  it.each(paths)("%s never serves protected content without a token", async (path) => {
    const response = await rawGet(server.url, path, { accept: "text/html", "sec-fetch-dest": "document" });
    expect([307, 308, 401, 404]).toContain(response.status);
    if (response.status === 308) expect(response.location).toBeDefined();
    expect(response.body).not.toContain("Access token expires");
  });
});

describe("malformed URLs over HTTP", () => {
  it.each(["/api/auth/%E0", "/api/backend/%E0", "/dashboard/%E0%A4%A", "/%"])(
    "%s gets 400, never a 500",
    async (path) => {
      const response = await rawGet(server.url, path, { accept: "text/html", "sec-fetch-dest": "document" });
      expect(response.status).toBe(400);
    },
  );
});

describe("sessions, roles and refresh over HTTP", () => {
  it("answers 403 to a user on /admin and serves it to an admin", async () => {
    const denied = await fetch(`${server.url}/admin`, pageRequest(user.header()));
    expect(denied.status).toBe(403);
    const allowed = await fetch(`${server.url}/admin`, pageRequest(admin.header()));
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain(adminEmail);
  });

  it("sends a signed-in user on /sign-in to next or /dashboard", async () => {
    const next = await fetch(`${server.url}/sign-in?next=%2Fadmin`, pageRequest(user.header()));
    expect(next.status).toBe(307);
    expect(locationPath(next)).toBe("/admin");
    const offsite = await fetch(`${server.url}/sign-up?next=https%3A%2F%2Fevil.example`, pageRequest(user.header()));
    expect(locationPath(offsite)).toBe("/dashboard");
  });

  it("refreshes a missing JWT through one hop when the session is valid, with no-store", async () => {
    const sessionOnly = user
      .header()
      .split("; ")
      .filter((c) => !c.startsWith(`${ACCESS_COOKIE}=`))
      .join("; ");
    const first = await fetch(`${server.url}/dashboard?tab=1`, pageRequest(sessionOnly));
    expect(first.status).toBe(307);
    expect(locationPath(first)).toBe("/api/auth/refresh?next=%2Fdashboard%3Ftab%3D1");
    const hop = await fetch(`${server.url}${locationPath(first)}`, pageRequest(sessionOnly));
    expect(hop.status).toBe(303);
    expect(locationPath(hop)).toBe("/dashboard?tab=1");
    expect(hop.headers.get("cache-control")).toBe("private, no-store");
    const jar = new CookieJar();
    jar.store(hop);
    const fresh = jar.get(ACCESS_COOKIE) as string;
    expect(fresh).toBeTruthy();
    const page = await fetch(`${server.url}/dashboard?tab=1`, pageRequest(`${sessionOnly}; ${access(fresh)}`));
    expect(page.status).toBe(200);
  });

  it("serves every concurrent refresh from the same browser (nothing single-use)", async () => {
    const sessionOnly = user
      .header()
      .split("; ")
      .filter((c) => !c.startsWith(`${ACCESS_COOKIE}=`))
      .join("; ");
    const hops = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 2
          ? fetch(`${server.url}/api/auth/refresh?next=%2Fdashboard`, pageRequest(sessionOnly))
          : fetch(`${server.url}/api/auth/refresh`, { method: "POST", headers: { cookie: sessionOnly } }),
      ),
    );
    expect(hops.map((r) => r.status).sort()).toEqual([...Array(6).fill(200), ...Array(6).fill(303)]);
    for (const hop of hops)
      expect(hop.headers.getSetCookie().some((c) => c.startsWith(`${ACCESS_COOKIE}=ey`))).toBe(true);
  });

  it("sends a refresh without a session to sign-in and clears the access cookie", async () => {
    const hop = await fetch(
      `${server.url}/api/auth/refresh?next=%2Fdashboard`,
      pageRequest("better-auth.session_token=forged.value"),
    );
    expect(hop.status).toBe(303);
    expect(locationPath(hop)).toBe("/sign-in?next=%2Fdashboard");
    expect(hop.headers.getSetCookie().find((c) => c.startsWith(`${ACCESS_COOKIE}=`))).toMatch(/Max-Age=0/);
    const post = await fetch(`${server.url}/api/auth/refresh`, { method: "POST" });
    expect(post.status).toBe(401);
  });

  it("reports why it refused in Server-Timing, and adds nothing to what it lets through", async () => {
    const ok = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("server-timing")).toBeNull();
    const missing = await fetch(`${server.url}/api/me`);
    expect(missing.headers.get("server-timing")).toMatch(/auth;dur=[\d.]+;desc="missing"/);
  });

  it("answers RSC requests and Server Actions without identity with 401 JSON, not a redirect", async () => {
    // Next strips its flight headers (RSC, Next-Router-*) before middleware runs; a browser's
    // router fetch is recognised by its fetch metadata, sent here as Chromium sends it.
    const rsc = await fetch(`${server.url}/dashboard`, {
      redirect: "manual",
      headers: { rsc: "1", "sec-fetch-dest": "empty", "sec-fetch-mode": "cors", accept: "*/*" },
    });
    expect(rsc.status).toBe(401);
    expect(rsc.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
    const action = await fetch(`${server.url}/dashboard`, {
      method: "POST",
      redirect: "manual",
      headers: { "next-action": "abc" },
    });
    expect(action.status).toBe(401);
  });
});
