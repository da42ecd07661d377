/**
 * The guard decides on real `NextRequest`s with a real verifier (real Ed25519
 * keys, jose); only the clock and the key source's network are ours.
 */
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { guard } from "@/lib/edge/guard";
import { createKeySource } from "@/lib/edge/keys";
import { createRevocationList } from "@/lib/edge/revocation";
import { parseRevocationFeed, revocationHandle } from "@/lib/edge/revocation-feed";
import type { Verifier } from "@/lib/edge/verify";
import { createVerifier } from "@/lib/edge/verify";
import { freePort } from "../helpers/ports";
import type { TestKey } from "../helpers/tokens";
import { AUDIENCE, ISSUER, jwksOf, makeKey, sign } from "../helpers/tokens";

const ORIGIN = "http://localhost:3000";
const SESSION = "better-auth.session_token=opaque-session";
let key: TestKey;
let verify: Verifier;
let userToken: string;
let adminToken: string;
let expiredToken: string;
let forgedToken: string;

beforeAll(async () => {
  key = await makeKey();
  verify = createVerifier({ keys: createKeySource({ jwks: jwksOf(key) }), issuer: ISSUER, audience: AUDIENCE });
  userToken = await sign(key);
  adminToken = await sign(key, { claims: { sub: "admin-1", role: "admin" } });
  const past = Math.floor(Date.now() / 1000) - 600;
  expiredToken = await sign(key, { now: past });
  forgedToken = await sign(await makeKey(key.kid));
});

interface Req {
  method?: string;
  headers?: Record<string, string>;
  token?: string;
  session?: boolean;
  bearer?: string;
  page?: boolean;
}

function request(path: string, { method = "GET", headers = {}, token, session, bearer, page = true }: Req = {}) {
  const cookies = [token ? `eg.access=${token}` : "", session ? SESSION : ""].filter(Boolean).join("; ");
  return new NextRequest(`${ORIGIN}${path}`, {
    method,
    headers: {
      ...(page
        ? { accept: "text/html", "sec-fetch-dest": "document" }
        : { accept: "application/json", "sec-fetch-dest": "empty" }),
      ...(cookies ? { cookie: cookies } : {}),
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...headers,
    },
  });
}

/** The request headers Next will forward to the route (from NextResponse.next({ request: { headers } })). */
function forwarded(response: Response): Map<string, string> {
  const names = (response.headers.get("x-middleware-override-headers") ?? "").split(",").filter(Boolean);
  return new Map(names.map((n) => [n, response.headers.get(`x-middleware-request-${n}`) ?? ""]));
}

function location(response: Response): string {
  const url = new URL(response.headers.get("location") ?? "", ORIGIN);
  return `${url.pathname}${url.search}`;
}

describe("guard: pages", () => {
  it("redirects a document request without a token to sign-in with the same-origin path", async () => {
    const response = await guard(request("/dashboard?tab=2"), { verify, revocations: null });
    expect(response.status).toBe(307);
    expect(location(response)).toBe("/sign-in?next=%2Fdashboard%3Ftab%3D2");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(response.headers.get("server-timing")).toMatch(/^auth;dur=[\d.]+;desc="missing"$/);
  });

  it("lets a valid token through untouched: no identity forwarded, no header added for Next to copy", async () => {
    const response = await guard(request("/dashboard", { token: userToken }), { verify, revocations: null });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-middleware-override-headers")).toBeNull();
    expect([...response.headers.keys()]).toEqual(["x-middleware-next"]);
  });

  it("decides a token it verified before synchronously, with a warm feed too: nothing on the hot path is awaited", async () => {
    const sessions = [await revocationHandle("sid", "someone-else")];
    const feed = parseRevocationFeed({ version: 1, generatedAt: 0, sessions, users: {} });
    const revocations = createRevocationList({ load: async () => feed, waitMs: 60_000 });
    const first = guard(request("/dashboard", { token: userToken }), { verify, revocations });
    expect(first).toBeInstanceOf(Promise); // a cold isolate: the feed's first load
    expect((await first).status).toBe(200);
    const warm = guard(request("/dashboard", { token: userToken }), { verify, revocations });
    expect(warm).not.toBeInstanceOf(Promise);
    expect((warm as Response).headers.get("x-middleware-next")).toBe("1");
    const unknown = guard(request("/dashboard", { token: adminToken }), { verify, revocations });
    expect(unknown).toBeInstanceOf(Promise); // never seen: the signature is checked first
  });

  it("deletes spoofed identity headers on a valid request, and adds none of its own", async () => {
    const response = await guard(
      request("/dashboard", { token: userToken, headers: { "x-auth-user-id": "victim", "x-auth-user-role": "admin" } }),
      { verify, revocations: null },
    );
    expect(response.status).toBe(200);
    const headers = forwarded(response);
    expect([...headers.keys()].filter((n) => n.startsWith("x-auth-"))).toEqual([]);
    expect(headers.get("cookie")).toContain(userToken); // the rest of the request goes on as sent
  });

  it("strips client-sent identity and internal headers on public routes too", async () => {
    const response = await guard(
      request("/", {
        headers: { "x-auth-user-id": "victim", "x-auth-token": "t", "x-middleware-subrequest": "middleware" },
      }),
      { verify, revocations: null },
    );
    expect(response.status).toBe(200);
    const headers = forwarded(response);
    expect(headers.has("x-auth-user-id")).toBe(false);
    expect(headers.has("x-auth-token")).toBe(false);
    expect(headers.has("x-middleware-subrequest")).toBe(false);
    expect(response.headers.get("x-middleware-override-headers")).not.toContain("x-auth");
  });

  it("forwards a public request untouched when it carries no reserved header", async () => {
    const response = await guard(request("/", { headers: { "x-other": "1" } }), { verify, revocations: null });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-middleware-override-headers")).toBeNull();
  });

  it("sends an expired token with a session cookie through the refresh hop", async () => {
    const response = await guard(request("/dashboard", { token: expiredToken, session: true }), {
      verify,
      revocations: null,
    });
    expect(response.status).toBe(307);
    expect(location(response)).toBe("/api/auth/refresh?next=%2Fdashboard");
  });

  it("sends a missing token with a session cookie through the refresh hop", async () => {
    const response = await guard(request("/dashboard", { session: true }), { verify, revocations: null });
    expect(location(response)).toBe("/api/auth/refresh?next=%2Fdashboard");
  });

  it("sends a forged token to sign-in even with a session cookie (rejection, not refresh)", async () => {
    const response = await guard(request("/dashboard", { token: forgedToken, session: true }), {
      verify,
      revocations: null,
    });
    expect(location(response)).toBe("/sign-in?next=%2Fdashboard");
    expect(response.headers.get("server-timing")).toContain('desc="bad_signature"');
  });

  it("ignores a Bearer token on page navigations (pages take the cookie only)", async () => {
    const response = await guard(request("/dashboard", { bearer: userToken }), { verify, revocations: null });
    expect(response.status).toBe(307);
  });

  it("answers 403 to a signed-in user without the required role, and passes an admin", async () => {
    const denied = await guard(request("/admin", { token: userToken }), { verify, revocations: null });
    expect(denied.status).toBe(403);
    expect(await denied.text()).toContain("needs the admin role");
    const deniedApi = await guard(request("/admin/stats", { token: userToken, page: false }), {
      verify,
      revocations: null,
    });
    expect(deniedApi.status).toBe(403);
    expect(await deniedApi.json()).toMatchObject({ error: "forbidden", requiredRole: "admin" });
    const allowed = await guard(request("/admin/users", { token: adminToken }), { verify, revocations: null });
    expect(allowed.status).toBe(200);
  });

  it("sends a signed-in user on /sign-in straight to a same-origin next, never off-site", async () => {
    expect(
      location(
        await guard(request("/sign-in?next=%2Fdashboard%3Fx%3D1", { token: userToken }), { verify, revocations: null }),
      ),
    ).toBe("/dashboard?x=1");
    expect(
      location(
        await guard(request("/sign-up?next=%2F%2Fevil.example", { token: userToken }), { verify, revocations: null }),
      ),
    ).toBe("/dashboard");
    expect(
      location(
        await guard(request("/sign-in?next=https%3A%2F%2Fevil.example", { token: userToken }), {
          verify,
          revocations: null,
        }),
      ),
    ).toBe("/dashboard");
    const anonymous = await guard(request("/sign-in?next=%2Fdashboard"), { verify, revocations: null });
    expect(anonymous.status).toBe(200);
  });
});

describe("guard: API, RSC, prefetch and Server Actions get 401 JSON, not a redirect", () => {
  const cases: Array<[string, string, Req]> = [
    ["API call without token", "/api/me", { page: false }],
    ["API call with a forged Bearer token", "/api/me", { page: false, bearer: "x.y.z" }],
    ["RSC request", "/dashboard", { headers: { rsc: "1" } }],
    ["router prefetch", "/dashboard", { headers: { "next-router-prefetch": "1", rsc: "1" } }],
    ["browser prefetch", "/dashboard", { page: false, headers: { purpose: "prefetch" } }],
    ["Server Action", "/dashboard", { method: "POST", headers: { "next-action": "abc123" } }],
    ["fetch() from a script", "/dashboard", { page: false }],
  ];
  it.each(cases)("%s", async (_name, path, req) => {
    const response = await guard(request(path, req), { verify, revocations: null });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(await response.json()).toMatchObject({ error: "unauthorized" });
  });

  it("accepts the token as Authorization: Bearer on API routes", async () => {
    const response = await guard(request("/api/me", { page: false, bearer: userToken }), { verify, revocations: null });
    expect(response.status).toBe(200);
  });

  it("refuses a cookie that disagrees with the Bearer token", async () => {
    const response = await guard(request("/api/me", { page: false, bearer: userToken, token: adminToken }), {
      verify,
      revocations: null,
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ reason: "malformed" });
  });

  it("refuses duplicate access cookies with different values", async () => {
    const response = await guard(
      request("/api/me", { page: false, headers: { cookie: `eg.access=${userToken}; eg.access=${adminToken}` } }),
      { verify, revocations: null },
    );
    expect(response.status).toBe(401);
  });
});

describe("guard: path variants never reach a protected route unguarded", () => {
  const variants = [
    "/Dashboard",
    "/DASHBOARD/x",
    "//dashboard",
    "/dashboard/",
    "/dashboard%2Fsettings",
    "/%64ashboard",
    "/foo/../dashboard",
    "/./dashboard",
    "/dashboard;x",
    "/api/ME",
    "/api//me",
    "/ADMIN",
  ];
  it.each(variants)("%s", async (path) => {
    const response = await guard(request(path), { verify, revocations: null });
    expect([307, 401]).toContain(response.status);
  });
});

describe("guard: malformed URLs", () => {
  it.each(["/api/auth/%E0", "/%E0%A4%A", "/dashboard/%"])(
    "answers 400 to %s before any route can fail on it",
    async (path) => {
      const response = await guard(request(path), { verify, revocations: null });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: "bad_request" });
    },
  );
});

describe("guard: keys unavailable", () => {
  it("fails closed with 503 and clears nothing when the JWKS cannot be fetched", async () => {
    const port = await freePort(); // nothing listens there
    const offline = createVerifier({
      keys: createKeySource({ jwksUrl: new URL(`http://127.0.0.1:${port}/api/auth/jwks`), timeoutMs: 500 }),
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const page = await guard(request("/dashboard", { token: userToken, session: true }), {
      verify: offline,
      revocations: null,
    });
    expect(page.status).toBe(503);
    expect(page.headers.get("retry-after")).toBe("5");
    expect(page.headers.getSetCookie()).toEqual([]);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("Signing keys could not be loaded");
    const api = await guard(request("/api/me", { page: false, bearer: userToken }), {
      verify: offline,
      revocations: null,
    });
    expect(api.status).toBe(503);
    expect(await api.json()).toMatchObject({ reason: "jwks_unavailable" });
  });
});

describe("guard: revoked tokens", () => {
  let revocations: ReturnType<typeof createRevocationList>;
  let revokedToken: string;
  beforeAll(async () => {
    revokedToken = await sign(key, { claims: { sid: "revoked-session" } });
    const feed = parseRevocationFeed({
      version: 1,
      generatedAt: 0,
      sessions: [await revocationHandle("sid", "revoked-session")],
      users: {},
    });
    revocations = createRevocationList({ load: async () => feed, waitMs: 60_000 });
  });

  it("sends a page with a revoked token to sign-in", async () => {
    const response = await guard(request("/dashboard", { token: revokedToken }), { verify, revocations });
    expect(response.status).toBe(307);
    expect(location(response)).toBe("/sign-in?next=%2Fdashboard");
    expect(response.headers.get("server-timing")).toContain('desc="revoked"');
  });

  it("sends a page with a revoked token and a session cookie through the refresh hop (which fails for a revoked session)", async () => {
    const response = await guard(request("/dashboard", { token: revokedToken, session: true }), {
      verify,
      revocations,
    });
    expect(location(response)).toBe("/api/auth/refresh?next=%2Fdashboard");
  });

  it.each([
    ["the cookie alone", "cookie"],
    ["Authorization: Bearer", "bearer"],
  ])("answers an API call with a revoked token as %s with 401 reason revoked", async (_name, how) => {
    const req: Req = { page: false, ...(how === "cookie" ? { token: revokedToken } : { bearer: revokedToken }) };
    const response = await guard(request("/api/me", req), { verify, revocations });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain('error_description="revoked"');
    expect(await response.json()).toMatchObject({ error: "unauthorized", reason: "revoked" });
  });

  it("passes every other token of the same user", async () => {
    const response = await guard(request("/api/me", { page: false, bearer: userToken }), { verify, revocations });
    expect(response.status).toBe(200);
  });

  it("neither blocks nor fails when the feed cannot be loaded: the token's lifetime bounds it", async () => {
    const down = createRevocationList({ load: () => new Promise(() => {}), waitMs: 20 });
    const response = await guard(request("/api/me", { page: false, bearer: revokedToken }), {
      verify,
      revocations: down,
    });
    expect(response.status).toBe(200);
  });
});
