/**
 * The guard's HTTP contract as one reusable suite, so every way of running the
 * guard (`middleware.ts` on Edge, `proxy.ts` on Node) is held to the same
 * answers. Call it inside a test file that starts the server.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import type { CookieJar } from "../helpers/http";
import { locationPath, pageRequest, signUp, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";

/** `Cookie` header value carrying only the access JWT. */
function accessCookie(token: string): string {
  return `${ACCESS_COOKIE}=${token}`;
}

/** The same token with its payload's email changed and the original signature kept. */
function tamper(token: string): string {
  const [h, p, s] = token.split(".") as [string, string, string];
  const payload = JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...payload, email: "mallory@example.com" })).toString("base64url");
  return `${h}.${forged}.${s}`;
}

/**
 * Registers the guard's HTTP contract tests against the server `getServer()`
 * returns (read lazily: the server starts in the caller's `beforeAll`).
 *
 * @example
 * let server: NextServer;
 * beforeAll(async () => { server = await startNext({ cwd: copy.dir }); });
 * guardContract("proxy.ts on Node", () => server);
 */
export function guardContract(label: string, getServer: () => NextServer): void {
  describe(`guard contract: ${label}`, () => {
    const email = uniqueEmail("contract");
    let jar: CookieJar;
    let token: string;
    let url: string;

    beforeAll(async () => {
      url = getServer().url;
      const signedUp = await signUp(url, { email, password: "correct-horse-1", name: "Contract User" });
      expect(signedUp.response.status).toBe(200);
      jar = signedUp.jar;
      token = jar.get(ACCESS_COOKIE) ?? "";
      expect(token, "sign-up sets the access cookie").not.toBe("");
    });

    it("redirects /dashboard without a cookie to sign-in with next, and reports why in Server-Timing", async () => {
      const response = await fetch(`${url}/dashboard`, pageRequest());
      expect(response.status).toBe(307);
      expect(locationPath(response)).toBe("/sign-in?next=%2Fdashboard");
      expect(response.headers.get("server-timing")).toMatch(/^auth;dur=[\d.]+;desc="missing"$/);
    });

    it("serves /dashboard with the user's email on the access cookie alone", async () => {
      const response = await fetch(`${url}/dashboard`, pageRequest(accessCookie(token)));
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(email);
    });

    it("redirects a cookie whose payload was tampered with to sign-in", async () => {
      const response = await fetch(`${url}/dashboard`, pageRequest(accessCookie(tamper(token))));
      expect(response.status).toBe(307);
      expect(locationPath(response)).toBe("/sign-in?next=%2Fdashboard");
    });

    it("answers /api/me with the Bearer token's user", async () => {
      const response = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ email, name: "Contract User" });
    });

    it("answers /api/me without a token with 401 JSON and a Bearer challenge", async () => {
      const response = await fetch(`${url}/api/me`);
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(response.headers.get("www-authenticate")).toContain('Bearer error="invalid_token"');
      expect(await response.json()).toMatchObject({ error: "unauthorized" });
    });

    it("refuses spoofed identity headers on /api/me without a token", async () => {
      const response = await fetch(`${url}/api/me`, {
        headers: { "x-auth-user-id": "admin", "x-auth-user-email": "root@example.com", "x-auth-user-role": "admin" },
      });
      expect(response.status).toBe(401);
    });

    it("answers with the token's identity, not a spoofed header, when both arrive", async () => {
      const response = await fetch(`${url}/api/me`, {
        headers: { authorization: `Bearer ${token}`, "x-auth-user-id": "someone-else", "x-auth-user-email": "x@y.z" },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { id: string; email: string };
      expect(body.email).toBe(email);
      expect(body.id).not.toBe("someone-else");
    });

    it("ignores a client-sent x-middleware-subrequest header", async () => {
      const spoof = "middleware:middleware:middleware:middleware:middleware";
      for (const value of [spoof, spoof.replaceAll("middleware", "proxy"), "src/middleware"]) {
        const response = await fetch(`${url}/dashboard`, {
          ...pageRequest(),
          headers: { accept: "text/html", "x-middleware-subrequest": value },
        });
        expect(response.status, value).toBe(307);
      }
    });
  });
}
