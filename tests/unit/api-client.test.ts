/**
 * The central API client's policy (Bearer, refresh once, retry once, sign out
 * on a second 401) against a real loopback HTTP backend that accepts exactly
 * one token.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClientOptions, RefreshOutcome } from "@/lib/api";
import { ApiAuthError, backendUrl, createApiClient } from "@/lib/api";

interface Seen {
  path: string;
  authorization: string | undefined;
  body: string;
}

let server: http.Server;
let base: string;
let seen: Seen[] = [];
/** The one token the backend accepts. */
let accepted = "fresh";

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    seen.push({ path: req.url ?? "", authorization: req.headers.authorization, body });
    const ok = req.headers.authorization === `Bearer ${accepted}`;
    res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** A client whose token, refresh outcome and sign-out are recorded. */
function client(token: string | null, refreshTo: RefreshOutcome, overrides: Partial<ApiClientOptions> = {}) {
  seen = [];
  accepted = "fresh";
  const calls = { refresh: 0, signOut: 0 };
  const api = createApiClient({
    baseUrl: base,
    getToken: async () => token,
    refresh: async () => {
      calls.refresh++;
      return refreshTo;
    },
    onSignedOut: () => {
      calls.signOut++;
    },
    ...overrides,
  });
  return { api, calls };
}

describe("central API client", () => {
  it("attaches the token as Bearer under the base path", async () => {
    const { api, calls } = client("fresh", { kind: "token", token: "unused" });
    const response = await api("/whoami?x=1");
    expect(response.status).toBe(200);
    expect(seen).toEqual([{ path: "/v1/whoami?x=1", authorization: "Bearer fresh", body: "" }]);
    expect(calls).toEqual({ refresh: 0, signOut: 0 });
  });

  it("refreshes once after a 401 and retries once with the new token, resending a streamed body", async () => {
    const { api, calls } = client("stale", { kind: "token", token: "fresh" });
    const body = new Blob(["streamed body"]).stream();
    const response = await api("/notes", { method: "POST", body, duplex: "half" } as RequestInit);
    expect(response.status).toBe(200);
    expect(seen.map((s) => [s.authorization, s.body])).toEqual([
      ["Bearer stale", "streamed body"],
      ["Bearer fresh", "streamed body"],
    ]);
    expect(calls).toEqual({ refresh: 1, signOut: 0 });
  });

  it("signs out after a second 401 and throws signed_out", async () => {
    const { api, calls } = client("stale", { kind: "token", token: "also-refused" });
    await expect(api("/whoami")).rejects.toMatchObject({ status: 401, code: "signed_out" });
    expect(seen).toHaveLength(2);
    expect(calls).toEqual({ refresh: 1, signOut: 1 });
  });

  it("signs out at once when the refresh finds no session", async () => {
    const { api, calls } = client("stale", { kind: "signed-out" });
    await expect(api("/whoami")).rejects.toBeInstanceOf(ApiAuthError);
    expect(seen).toHaveLength(1);
    expect(calls).toEqual({ refresh: 1, signOut: 1 });
  });

  it("signs no one out when the refresh is unavailable (transient)", async () => {
    const { api, calls } = client("stale", { kind: "unavailable" });
    await expect(api("/whoami")).rejects.toMatchObject({ status: 503, code: "auth_unavailable" });
    expect(calls).toEqual({ refresh: 1, signOut: 0 });
  });

  it("treats a throwing refresh as unavailable, not as a sign-out", async () => {
    const { api, calls } = client(
      "stale",
      { kind: "unavailable" },
      {
        refresh: async () => {
          throw new Error("network down");
        },
      },
    );
    await expect(api("/whoami")).rejects.toMatchObject({ status: 503 });
    expect(calls.signOut).toBe(0);
  });

  it("refreshes before the first call when there is no token, and never twice", async () => {
    const fresh = client(null, { kind: "token", token: "fresh" });
    expect((await fresh.api("/whoami")).status).toBe(200);
    expect(seen.map((s) => s.authorization)).toEqual(["Bearer fresh"]);
    const refused = client(null, { kind: "token", token: "refused" });
    await expect(refused.api("/whoami")).rejects.toMatchObject({ code: "signed_out" });
    expect(refused.calls).toEqual({ refresh: 1, signOut: 1 });
  });

  it("shares one refresh between concurrent refused calls", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { api, calls } = client(
      "stale",
      { kind: "token", token: "fresh" },
      {
        refresh: async () => {
          calls.refresh++;
          await gate;
          return { kind: "token", token: "fresh" };
        },
      },
    );
    const pending = [api("/a"), api("/b"), api("/c")];
    while (seen.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    expect((await Promise.all(pending)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(calls.refresh).toBe(1);
  });

  // Paths that would carry the token off the backend's origin or out of its base.
  const escapes = ["https://evil.example/x", "//evil.example/x", "whoami", "/\\evil.example", ""];
  for (const path of escapes) {
    it(`refuses the path ${JSON.stringify(path)} before sending anything`, async () => {
      const { api } = client("fresh", { kind: "unavailable" });
      await expect(api(path)).rejects.toThrow(TypeError);
      expect(seen).toHaveLength(0);
    });
  }

  it("joins the base path and the request path", () => {
    expect(backendUrl("https://api.example.com/v1/", "/users/1?x=y").href).toBe(
      "https://api.example.com/v1/users/1?x=y",
    );
    expect(backendUrl(new URL("https://api.example.com"), "/whoami").href).toBe("https://api.example.com/whoami");
  });
});
