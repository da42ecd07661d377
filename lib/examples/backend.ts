/**
 * An external API server that trusts no one but the app's signing keys:
 * `npm run backend:example`. Plain `node:http`; every request (but `/healthz`)
 * is verified with `verifyRequest` against the app's `/api/auth/jwks`, and
 * per-user data is served only to its owner (the path's user id must be `sub`).
 *
 * Environment: `BETTER_AUTH_URL` (the app's origin: issuer and audience),
 * `APP_URL` (where to fetch the JWKS, default `BETTER_AUTH_URL`), `AUTH_JWKS`
 * (static keys instead of fetching), `AUTH_JWT_TTL`, `BACKEND_PORT` (default
 * 4000), `BACKEND_DEBUG=1` (adds `/debug/echo`, which echoes the request with
 * the token redacted, and `/debug/reject`, which refuses every token).
 */
import http from "node:http";
import type { JSONWebKeySet } from "jose";
import type { VerifyRequestOptions } from "../edge/verify-request";
import { bearerChallenge, verifyRequest } from "../edge/verify-request";

const env = process.env;
const issuer = new URL(env.BETTER_AUTH_URL || env.APP_URL || "http://localhost:3000").origin;
const options: VerifyRequestOptions = {
  issuer,
  audience: issuer,
  ...(env.AUTH_JWKS
    ? { jwks: JSON.parse(env.AUTH_JWKS) as JSONWebKeySet }
    : { jwksUrl: new URL("/api/auth/jwks", env.APP_URL || issuer) }),
  maxTokenAgeSeconds: Number(env.AUTH_JWT_TTL || 300),
};
const port = Number(env.BACKEND_PORT || 4000);
const debug = env.BACKEND_DEBUG === "1";

/** Each user's notes, by user id (in memory: this is an example). */
const notes = new Map<string, string[]>();

function send(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "private, no-store", ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 64 * 1024) throw new Error("body too large");
  }
  return body;
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://backend.invalid");
  if (url.pathname === "/healthz") return send(res, 200, { ok: true });

  const auth = await verifyRequest(req, options);
  if (!auth.ok) {
    const headers = auth.status === 401 ? { "www-authenticate": bearerChallenge(auth.reason) } : {};
    return send(
      res,
      auth.status,
      { error: auth.status === 401 ? "unauthorized" : "auth_unavailable", reason: auth.reason },
      headers,
    );
  }
  const { id: sub, email, name, role } = auth.claims;

  if (req.method === "GET" && url.pathname === "/whoami") return send(res, 200, { sub, email, name, role });

  const match = /^\/users\/([^/]+)\/notes$/.exec(url.pathname);
  if (match?.[1]) {
    // User isolation: the path names a user; only that user may touch their data.
    if (decodeURIComponent(match[1]) !== sub) return send(res, 403, { error: "forbidden" });
    const mine = notes.get(sub) ?? [];
    if (req.method === "GET") return send(res, 200, { userId: sub, notes: mine });
    if (req.method === "POST") {
      const { text } = JSON.parse((await readBody(req)) || "{}") as { text?: unknown };
      if (typeof text !== "string" || text === "") return send(res, 400, { error: "text required" });
      notes.set(sub, [...mine, text]);
      return send(res, 201, { userId: sub, notes: [...mine, text] });
    }
    return send(res, 405, { error: "method not allowed" });
  }

  // Debug only: refuses every token, as a backend with the wrong keys would (tests the sign-out path).
  if (debug && url.pathname === "/debug/reject") return send(res, 401, { error: "unauthorized", reason: "rejected" });
  if (debug && url.pathname === "/debug/echo") {
    const headers = { ...req.headers, authorization: req.headers.authorization ? "Bearer [redacted]" : undefined };
    const query = Object.fromEntries(url.searchParams);
    return send(res, 200, { sub, method: req.method, path: url.pathname, query, headers, body: await readBody(req) });
  }
  send(res, 404, { error: "not found" });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch(() => {
    // Bad JSON, a bad percent-escape, an oversized body: the client's fault, and never a crash.
    if (!res.headersSent) send(res, 400, { error: "bad request" });
    else res.end();
  });
});

server.listen(port, () => {
  const { port: bound } = server.address() as { port: number };
  console.log(`[backend] listening on http://localhost:${bound}, trusting tokens from ${issuer}`);
});
