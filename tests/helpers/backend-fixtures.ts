/**
 * Two small loopback servers that sit between the app and the example
 * backends in end-to-end tests (real HTTP both ways; nothing is mocked):
 *
 * - a JWKS relay, the backends' `APP_URL`: serves the app's live
 *   `/api/auth/jwks` plus test keys (so a test can sign, say, an expired token
 *   with a key the backends trust), and plays an outage on demand;
 * - a router, the app's one `BACKEND_URL`: `/<name>/<path>` goes to backend
 *   `<name>` as `/<path>`, so one `next start` can proxy to every backend.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { JWK } from "jose";

/** `up`: serve the keys; `error`: answer 503; `reset`: drop the connection unanswered. */
export type RelayMode = "up" | "error" | "reset";

export interface Fixture {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

export interface JwksRelay extends Fixture {
  setMode(mode: RelayMode): void;
  /** Requests received so far. */
  hits(): number;
}

async function listen(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url: `http://127.0.0.1:${port}`, close };
}

/** Serves `<upstream>/api/auth/jwks` plus `extraKeys` on every path. */
export async function startJwksRelay(options: {
  upstream: string;
  extraKeys: JWK[];
  mode?: RelayMode;
}): Promise<JwksRelay> {
  let mode = options.mode ?? "up";
  let hits = 0;
  const { url, close } = await listen(async (req, res) => {
    hits++;
    if (mode === "reset") return void req.socket.destroy();
    if (mode === "error")
      return void res.writeHead(503, { "content-type": "application/json" }).end('{"error":"down"}');
    try {
      const upstream = (await (await fetch(`${options.upstream}/api/auth/jwks`)).json()) as { keys: JWK[] };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [...upstream.keys, ...options.extraKeys] }));
    } catch {
      res.writeHead(502).end();
    }
  });
  const setMode = (next: RelayMode) => {
    mode = next;
  };
  return { url, close, hits: () => hits, setMode };
}

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding",
  "host",
]);

/** Forwards `/<name>/<rest>` to `routes[name] + /<rest>`, method, headers and body as they came. */
export async function startRouter(routes: Record<string, string>): Promise<Fixture> {
  return listen(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://router.invalid");
    const [, name = "", ...rest] = url.pathname.split("/");
    const target = routes[name];
    if (!target) return void res.writeHead(404).end();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.entries(req.headers).flatMap(([k, v]) =>
      HOP_BY_HOP.has(k) || v === undefined ? [] : [[k, String(v)] as [string, string]],
    );
    try {
      const answer = await fetch(`${target}/${rest.join("/")}${url.search}`, {
        method: req.method,
        headers,
        body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
        redirect: "manual",
      });
      const out = [...answer.headers].filter(([k]) => !HOP_BY_HOP.has(k));
      res.writeHead(answer.status, Object.fromEntries(out));
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      res.writeHead(502).end();
    }
  });
}
