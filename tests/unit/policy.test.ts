import { describe, expect, it } from "vitest";
import { safeNextPath } from "@/lib/edge/next-path";
import { accessFor, canonicalPaths, isSignInPage, routeOf } from "@/lib/edge/policy";
import { requestKind } from "@/lib/edge/request-kind";
import { findToken } from "@/lib/edge/token";

describe("route policy", () => {
  const table: Array<[string, ReturnType<typeof accessFor>]> = [
    ["/", "public"],
    ["/sign-in", "public"],
    ["/api/auth/jwks", "public"],
    ["/api/auth/sign-in/email", "public"],
    ["/dashboard", "signed-in"],
    ["/dashboard/settings", "signed-in"],
    ["/Dashboard", "signed-in"],
    ["//dashboard", "signed-in"],
    ["/dashboard/", "signed-in"],
    ["/dashboard%2Fsettings", "signed-in"],
    ["/%64ashboard", "signed-in"],
    ["/dashboard;jsessionid=1", "signed-in"],
    ["/dashboard%00", "public"], // a different path: Next answers 404, nothing protected is served
    ["/dashboardx", "public"],
    ["/api/me", "signed-in"],
    ["/API/Me/", "signed-in"],
    ["/api/backend/users/1", "signed-in"],
    ["/admin", { role: "admin" }],
    ["/Admin/Users", { role: "admin" }],
    ["/admin/%E0%A4%A", { role: "admin" }], // undecodable still meets its prefix
    // An encoded climb is read both ways and the stricter rule wins.
    ["/api/auth/..%2Fme", "signed-in"],
    ["/dashboard/..%2F", "signed-in"],
    ["/public/..%2Fadmin", { role: "admin" }],
  ];
  it.each(table)("%s requires %j", (path, access) => {
    expect(accessFor(path)).toEqual(access);
  });

  it("canonicalises both resolved and literal forms", () => {
    expect(canonicalPaths("/A/b%2F..%2Fc/")).toEqual(["/a/c", "/a/b/../c"]);
  });

  it("recognises sign-in pages in any spelling", () => {
    expect(isSignInPage("/Sign-In/")).toBe(true);
    expect(isSignInPage("/sign-in-help")).toBe(false);
    expect(routeOf("/Sign-In/")).toEqual({ access: "public", signInPage: true });
    expect(routeOf("/sign-up/..%2Fdashboard").signInPage).toBe(false);
  });
});

describe("same-origin next", () => {
  const table: Array<[string | null, string]> = [
    ["/dashboard?tab=1", "/dashboard?tab=1"],
    [null, "/dashboard"],
    ["", "/dashboard"],
    ["dashboard", "/dashboard"],
    ["//evil.example", "/dashboard"],
    ["/\\evil.example", "/dashboard"],
    ["https://evil.example/x", "/dashboard"],
    ["javascript:alert(1)", "/dashboard"],
    ["/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"],
    ["/\r\nSet-Cookie: x", "/dashboard"],
    ["/ok#frag", "/ok"],
  ];
  it.each(table)("%j becomes %j", (input, output) => {
    expect(safeNextPath(input)).toBe(output);
  });
});

describe("request kind", () => {
  const req = (path: string, init: RequestInit = {}) => new Request(`http://localhost${path}`, init);
  it("treats top-level navigations as documents and everything scripted as API", () => {
    expect(requestKind(req("/dashboard", { headers: { "sec-fetch-dest": "document" } }), "/dashboard")).toBe(
      "document",
    );
    expect(requestKind(req("/dashboard", { headers: { accept: "text/html" } }), "/dashboard")).toBe("document");
    expect(requestKind(req("/dashboard", { headers: { "sec-fetch-dest": "empty" } }), "/dashboard")).toBe("api");
    expect(requestKind(req("/dashboard", { headers: { rsc: "1", "sec-fetch-dest": "document" } }), "/dashboard")).toBe(
      "api",
    );
    expect(requestKind(req("/dashboard", { method: "POST" }), "/dashboard")).toBe("api");
    expect(requestKind(req("/api/me", { headers: { accept: "text/html" } }), "/api/me")).toBe("api");
  });
});

describe("token lookup", () => {
  const h = (init: Record<string, string>) => new Headers(init);
  const opts = { cookieName: "eg.access", allowBearer: true };
  it("finds the cookie or the Bearer token and refuses ambiguity", () => {
    expect(findToken(h({ cookie: "a=1; eg.access=t1" }), opts)).toEqual({ kind: "token", token: "t1" });
    expect(findToken(h({ authorization: "Bearer t2" }), opts)).toEqual({ kind: "token", token: "t2" });
    expect(findToken(h({ authorization: "Bearer t2", cookie: "eg.access=t2" }), opts)).toEqual({
      kind: "token",
      token: "t2",
    });
    expect(findToken(h({ authorization: "Bearer t2", cookie: "eg.access=t1" }), opts)).toEqual({ kind: "ambiguous" });
    expect(findToken(h({ cookie: "eg.access=t1; eg.access=t3" }), opts)).toEqual({ kind: "ambiguous" });
    expect(findToken(h({ authorization: "Basic abc" }), opts)).toEqual({ kind: "ambiguous" });
    expect(findToken(h({ authorization: "Bearer t2" }), { ...opts, allowBearer: false })).toEqual({ kind: "none" });
    expect(findToken(h({}), opts)).toEqual({ kind: "none" });
  });
});
