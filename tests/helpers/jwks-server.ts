/**
 * A local JWKS endpoint whose key set and health the test controls, counting
 * every fetch: the network is faked by a real loopback server, jose is not.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { JSONWebKeySet } from "jose";

export interface JwksServer {
  url: URL;
  hits: () => number;
  setKeys(jwks: JSONWebKeySet): void;
  /** Answer every request with this status (e.g. 503), or `200` to serve the keys again. */
  setStatus(status: number): void;
  close(): Promise<void>;
}

export async function startJwksServer(initial: JSONWebKeySet): Promise<JwksServer> {
  let jwks = initial;
  let status = 200;
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(status === 200 ? JSON.stringify(jwks) : '{"error":"down"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/api/auth/jwks`),
    hits: () => hits,
    setKeys: (next) => {
      jwks = next;
    },
    setStatus: (next) => {
      status = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
