/**
 * What the `/api/backend/*` proxy passes on: paths that must not leave the
 * backend's base, request headers the backend must never see, response
 * headers the browser must never get.
 */
import { describe, expect, it } from "vitest";
import {
  BodyTooLargeError,
  backendPath,
  bufferedBody,
  forwardRequestHeaders,
  forwardResponseHeaders,
} from "@/app/api/backend/[...path]/forward";

const PREFIX = "/api/backend";
const at = (path: string) => backendPath(new URL(`http://app.test${path}`), PREFIX);

describe("backend proxy: paths", () => {
  it("keeps the path and query under the prefix", () => {
    expect(at("/api/backend/users/42/notes?x=1&y=a%20b")).toBe("/users/42/notes?x=1&y=a%20b");
    expect(at("/api/backend/users/")).toBe("/users/");
    expect(at("/api/backend/caf%C3%A9")).toBe("/caf%C3%A9");
  });

  // One table: every path that must be refused.
  const refused = [
    "/api/backend",
    "/api/backend/",
    "/api/backendx/users",
    "/api/backend/users%2F..%2Fadmin",
    "/api/backend/a%5Cb",
    "/api/backend/%2E%2E%2Fadmin",
    "/api/backend/users//notes",
    "/api/backend/%E0%A4%A",
    "/other/users",
  ];
  for (const path of refused) {
    it(`refuses ${path}`, () => {
      expect(at(path)).toBeNull();
    });
  }
});

describe("backend proxy: headers", () => {
  it("forwards only safe request headers and custom x- headers", () => {
    const incoming = new Headers({
      accept: "application/json",
      "content-type": "application/json",
      "x-request-id": "r1",
      cookie: "eg.access=secret; better-auth.session_token=s",
      authorization: "Bearer client-supplied",
      host: "app.test",
      connection: "keep-alive, x-hop",
      "x-hop": "1",
      "keep-alive": "timeout=5",
      "transfer-encoding": "chunked",
      "proxy-authorization": "Basic x",
      "x-auth-user-id": "victim",
      "x-auth-token": "forged",
      "x-middleware-subrequest": "middleware",
      "x-forwarded-for": "10.0.0.1",
      "x-real-ip": "10.0.0.1",
      "x-nextjs-data": "1",
      "x-vercel-proxy-signature": "sig",
      "next-action": "abc",
      "accept-encoding": "br",
      origin: "http://app.test",
    });
    expect(Object.fromEntries(forwardRequestHeaders(incoming))).toEqual({
      accept: "application/json",
      "content-type": "application/json",
      "x-request-id": "r1",
    });
  });

  it("drops hop-by-hop, Set-Cookie and undone encodings from the response, and keeps it private", () => {
    const upstream = new Headers({
      "content-type": "application/json",
      "content-encoding": "gzip",
      "content-length": "12",
      "set-cookie": "eg.access=evil; Path=/",
      connection: "close, x-hop",
      "x-hop": "1",
      etag: '"v1"',
      "cache-control": "public, max-age=600",
    });
    expect(Object.fromEntries(forwardResponseHeaders(upstream))).toEqual({
      "content-type": "application/json",
      etag: '"v1"',
      "cache-control": "private, no-store",
    });
    expect(forwardResponseHeaders(new Headers({ "cache-control": "private, max-age=60" })).get("cache-control")).toBe(
      "private, max-age=60",
    );
  });
});

describe("backend proxy: request bodies", () => {
  it("buffers a body within the limit, and refuses one over it without reading it all", async () => {
    const small = new Request("http://app.test/", { method: "POST", body: "hello" });
    expect(new TextDecoder().decode(await bufferedBody(small, 10))).toBe("hello");
    const big = new Request("http://app.test/", { method: "POST", body: "x".repeat(11) });
    await expect(bufferedBody(big, 10)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(await bufferedBody(new Request("http://app.test/"), 10)).toBeUndefined();
  });
});
