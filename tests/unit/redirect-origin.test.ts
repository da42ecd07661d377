/**
 * The guard's redirects are built on the configured base URL
 * (`BETTER_AUTH_URL`, default `http://localhost:3000` here), never on the
 * request's URL or Host header, whatever host name the request came in on.
 */
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { edgeConfig } from "@/lib/edge/config";
import { guard } from "@/lib/edge/guard";
import { redirectTo } from "@/lib/edge/responses";

const PAGE = { accept: "text/html", "sec-fetch-dest": "document" };
const ARRIVALS = [
  ["another host name", "http://127.0.0.1:3000", {}],
  ["a foreign Host header", "http://evil.example", { host: "evil.example" }],
  ["a foreign forwarded host", "http://127.0.0.1:3000", { "x-forwarded-host": "evil.example" }],
] as const;

describe.each(ARRIVALS)("a request arriving through %s", (_name, origin, headers) => {
  const base = edgeConfig().baseURL;

  it("goes to sign-in on the configured origin", async () => {
    const response = await guard(new NextRequest(`${origin}/dashboard?x=1`, { headers: { ...PAGE, ...headers } }));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe(`${base}/sign-in?next=%2Fdashboard%3Fx%3D1`);
  });

  it("goes to the refresh hop on the configured origin", async () => {
    const cookie = "better-auth.session_token=opaque";
    const response = await guard(new NextRequest(`${origin}/dashboard`, { headers: { ...PAGE, ...headers, cookie } }));
    expect(response.headers.get("location")).toBe(`${base}/api/auth/refresh?next=%2Fdashboard`);
  });
});

describe("redirectTo", () => {
  it.each(["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"])(
    "never leaves the origin, even when handed %s",
    (path) => {
      const response = redirectTo(new NextRequest("http://evil.example/"), path);
      expect(new URL(response.headers.get("location") as string).origin).toBe(edgeConfig().baseURL);
    },
  );
});
