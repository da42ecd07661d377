/**
 * Every redirect the kit builds stays on the configured origin: the app is
 * reached as `http://127.0.0.1:PORT` while `BETTER_AUTH_URL` says
 * `http://localhost:PORT` (the host `next start` also reports in
 * `request.url`), and again with a Host header and an `X-Forwarded-Host` that
 * name somebody else. A `Location` must be a same-origin relative path or an
 * absolute URL on the configured base URL; the refresh hop's is always relative.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import type { AppCopy } from "../helpers/app-copy";
import { buildAppCopy } from "../helpers/app-copy";
import { type CookieJar, rawGet, signUp, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";
import { freePort } from "../helpers/ports";

const SESSION_COOKIE = "better-auth.session_token";
const PAGE = { accept: "text/html", "sec-fetch-dest": "document" };
const HOSTS: Record<string, (port: number) => Record<string, string>> = {
  "the listening address": () => ({}),
  "a foreign Host header": (port) => ({ host: `evil.example:${port}` }),
  "a foreign X-Forwarded-Host": () => ({ "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" }),
};

let server: NextServer;
let base: string;
let jar: CookieJar;

/** Asserts a `Location` stays on the configured origin and returns it as a path. */
function onOrigin(location: string | undefined, configured: string): string {
  expect(location).toBeDefined();
  const value = location as string;
  expect(value).not.toContain("evil.example");
  if (value.startsWith("/")) {
    expect(value.startsWith("//")).toBe(false);
    return value;
  }
  expect(value.startsWith(`${configured}/`)).toBe(true);
  return value.slice(configured.length);
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  server = await startNext({ port, env: { BETTER_AUTH_URL: base } });
  expect(server.url).toBe(`http://127.0.0.1:${port}`); // reached through another host name than configured
  ({ jar } = await signUp(server.url, { email: uniqueEmail("origin"), password: "correct-horse-1", name: "Or" }));
});
afterAll(async () => {
  await server?.stop();
});

describe.each(Object.entries(HOSTS))("redirects reached through %s", (_name, hostHeaders) => {
  const get = (path: string, headers: Record<string, string> = {}) =>
    rawGet(server.url, path, { ...PAGE, ...hostHeaders(server.port), ...headers });
  const session = () => `${SESSION_COOKIE}=${jar.get(SESSION_COOKIE)}`;

  it("guard: a signed-out page goes to sign-in", async () => {
    const page = await get("/dashboard?tab=1");
    expect(page.status).toBe(307);
    expect(onOrigin(page.location, base)).toBe("/sign-in?next=%2Fdashboard%3Ftab%3D1");
  });

  it("guard: a live session without an access JWT goes to the refresh hop", async () => {
    const page = await get("/dashboard", { cookie: session() });
    expect(page.status).toBe(307);
    expect(onOrigin(page.location, base)).toBe("/api/auth/refresh?next=%2Fdashboard");
  });

  it("refresh hop: back to the page with a relative Location", async () => {
    const hop = await get("/api/auth/refresh?next=%2Fdashboard", { cookie: session() });
    expect(hop.status).toBe(303);
    expect(hop.location).toBe("/dashboard");
  });

  it("refresh hop: no session means sign-in, relative too", async () => {
    const hop = await get("/api/auth/refresh?next=%2Fdashboard");
    expect(hop.status).toBe(303);
    expect(hop.location).toBe("/sign-in?next=%2Fdashboard");
  });

  it.each([["//evil.example/x"], ["https://evil.example/"], ["/\\evil.example"], ["%2F%2Fevil.example"]])(
    "refresh hop and sign-in page: a hostile next (%s) falls back to /dashboard",
    async (next) => {
      const hop = await get(`/api/auth/refresh?next=${encodeURIComponent(next)}`, { cookie: session() });
      expect(hop.location).toBe("/dashboard");
      const signIn = await get(`/sign-in?next=${encodeURIComponent(next)}`, {
        cookie: `${ACCESS_COOKIE}=${jar.get(ACCESS_COOKIE)}`,
      });
      expect(signIn.status).toBe(307);
      expect(onOrigin(signIn.location, base)).toBe("/dashboard");
    },
  );
});

describe("server helpers' redirects (a build without middleware: lib/session.ts decides)", () => {
  let copy: AppCopy | undefined;
  let bare: NextServer | undefined;
  let bareBase: string;
  beforeAll(async () => {
    copy = await buildAppCopy({ middleware: "none" });
    const port = await freePort();
    bareBase = `http://localhost:${port}`;
    bare = await startNext({ cwd: copy.dir, port, env: { BETTER_AUTH_URL: bareBase } });
  }, 900_000); // a second next build, on a shared machine
  afterAll(async () => {
    await bare?.stop();
    await copy?.remove();
  });

  it.each(Object.entries(HOSTS))("requireUser redirects stay on the origin, reached through %s", async (_n, h) => {
    const url = (bare as NextServer).url;
    const headers = { ...PAGE, ...h((bare as NextServer).port) };
    const signedOut = await rawGet(url, "/dashboard", headers);
    expect(signedOut.status).toBe(307);
    expect(onOrigin(signedOut.location, bareBase)).toBe("/sign-in?next=%2Fdashboard");
    const withSession = await rawGet(url, "/dashboard", { ...headers, cookie: `${SESSION_COOKIE}=x.y` });
    expect(withSession.status).toBe(307);
    expect(onOrigin(withSession.location, bareBase)).toBe("/api/auth/refresh?next=%2Fdashboard");
  });
});
