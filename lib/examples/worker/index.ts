/**
 * The example backend as a Cloudflare Worker: `npm run backend:worker`
 * (`wrangler dev --local`, no account needed). Same routes and answers as
 * `lib/examples/backend.ts`, on the same verifier (`lib/edge/verify-request.ts`,
 * Web APIs and jose only), so workerd runs it unchanged.
 *
 * Variables (`wrangler.jsonc`, or `--var NAME:value`): `BETTER_AUTH_URL` (the
 * app's origin: issuer and audience), `APP_URL` (where to fetch the JWKS,
 * default `BETTER_AUTH_URL`), `AUTH_JWT_TTL` (default 300). The port is
 * `wrangler dev --port`.
 */
import type { VerifyRequestOptions } from "../../edge/verify-request";
import { bearerChallenge, verifyRequest } from "../../edge/verify-request";

/** The Worker's variables. */
export interface Env {
  readonly BETTER_AUTH_URL?: string;
  readonly APP_URL?: string;
  readonly AUTH_JWT_TTL?: string;
}

// Variables only arrive with a request; the verifier itself (JWKS cache,
// token cache) lives at module scope inside `verifyRequest`, keyed by these options.
function optionsOf(env: Env): VerifyRequestOptions {
  const issuer = new URL(env.BETTER_AUTH_URL || env.APP_URL || "http://localhost:3000").origin;
  return {
    issuer,
    audience: issuer,
    jwksUrl: new URL("/api/auth/jwks", env.APP_URL || issuer),
    maxTokenAgeSeconds: Number(env.AUTH_JWT_TTL || 300),
  };
}

/** Each user's notes, by user id. Per isolate, so an example only: use KV, D1 or a Durable Object for real data. */
const notes = new Map<string, string[]>();

function send(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "cache-control": "private, no-store", ...headers } });
}

async function handle(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === "/healthz") return send(200, { ok: true });

  const auth = await verifyRequest(request, optionsOf(env));
  if (!auth.ok) {
    if (auth.status === 503) return send(503, { error: "auth_unavailable", reason: auth.reason });
    return send(
      401,
      { error: "unauthorized", reason: auth.reason },
      { "www-authenticate": bearerChallenge(auth.reason) },
    );
  }
  const { id: sub, email, name, role } = auth.claims;

  if (request.method === "GET" && url.pathname === "/whoami") return send(200, { sub, email, name, role });

  const match = /^\/users\/([^/]+)\/notes$/.exec(url.pathname);
  if (match?.[1]) {
    // User isolation: the path names a user; only that user may touch their data.
    if (decodeURIComponent(match[1]) !== sub) return send(403, { error: "forbidden" });
    const mine = notes.get(sub) ?? [];
    if (request.method === "GET") return send(200, { userId: sub, notes: mine });
    if (request.method === "POST") {
      const { text } = ((await request.json()) ?? {}) as { text?: unknown };
      if (typeof text !== "string" || text === "") return send(400, { error: "text required" });
      notes.set(sub, [...mine, text]);
      return send(201, { userId: sub, notes: [...mine, text] });
    }
    return send(405, { error: "method not allowed" });
  }
  return send(404, { error: "not found" });
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    try {
      return await handle(request, env);
    } catch {
      // Bad JSON, a bad percent-escape: the client's fault, and never a 500.
      return send(400, { error: "bad request" });
    }
  },
};
