/**
 * A WebSocket→TCP bridge so the Neon serverless driver can reach a plain
 * Postgres on this machine (Node only). Neon's own proxy speaks the Postgres
 * wire protocol inside WebSocket frames; this does the same for one allowed
 * `host:port`, on `ws://127.0.0.1:<free port>/v1?address=host:port`.
 *
 * It only ever dials the target it was started for: any other `address` is
 * refused, so the bridge cannot be used to reach other hosts or ports.
 */
import { createServer } from "node:http";
import net from "node:net";
import type { WebSocket } from "ws";
import { WebSocketServer } from "ws";

/** Where the bridge forwards to: the host and port of a loopback `DATABASE_URL`. */
export interface BridgeTarget {
  readonly host: string;
  readonly port: number;
}

/** A running bridge. */
export interface NeonBridge {
  /** The `wsProxy` value for the Neon driver: `127.0.0.1:<port>/v1?address=<host>:<port>`. */
  proxyFor(host: string, port: number | string): string;
  /** The last error dialling the target (e.g. `connect ECONNREFUSED 127.0.0.1:5432`), cleared on success. */
  lastError(): string | undefined;
  /** Stops listening and cuts every bridged connection. */
  close(): Promise<void>;
}

/** `[::1]` and `::1` are the same host; compare without brackets or case. */
function hostKey(host: string): string {
  return host.replace(/^\[|\]$/g, "").toLowerCase();
}

function splitAddress(address: string): BridgeTarget | undefined {
  const colon = address.lastIndexOf(":");
  const port = Number(address.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port)) return undefined;
  return { host: hostKey(address.slice(0, colon)), port };
}

/**
 * Starts a bridge on 127.0.0.1 (a free port) that forwards to `target` only.
 * The listening socket is `unref`'d: it never keeps a process alive by itself.
 *
 * @example
 * const bridge = await startNeonBridge({ host: "localhost", port: 5432 });
 * neonClient.neonConfig.wsProxy = (host, port) => bridge.proxyFor(host, port);
 */
export async function startNeonBridge(target: BridgeTarget): Promise<NeonBridge> {
  const allowed = { host: hostKey(target.host), port: target.port };
  const sockets = new Set<net.Socket>();
  let lastError: string | undefined;
  const http = createServer((_request, response) => {
    response.writeHead(426, { "content-type": "text/plain" }).end("WebSocket only\n");
  });
  const server = new WebSocketServer({ server: http, path: "/v1", perMessageDeflate: false });

  server.on("connection", (ws: WebSocket, request) => {
    const address = new URL(request.url ?? "", "ws://bridge").searchParams.get("address") ?? "";
    const wanted = splitAddress(address);
    if (!wanted || wanted.host !== allowed.host || wanted.port !== allowed.port) {
      ws.close(1008, "address not allowed");
      return;
    }
    const socket = net.connect({ host: target.host, port: target.port });
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("connect", () => {
      lastError = undefined;
    });
    socket.on("data", (chunk) => ws.send(chunk));
    socket.on("error", (error) => {
      lastError = error.message;
    });
    socket.on("close", () => {
      sockets.delete(socket);
      ws.close();
    });
    ws.on("message", (data: Buffer) => socket.write(data));
    ws.on("close", () => socket.destroy());
    ws.on("error", () => socket.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(0, "127.0.0.1", resolve);
  });
  // An idle bridge never holds the process open; live connections do.
  http.unref();
  const { port } = http.address() as net.AddressInfo;

  return {
    proxyFor: (host, targetPort) => `127.0.0.1:${port}/v1?address=${encodeURIComponent(`${host}:${targetPort}`)}`,
    lastError: () => lastError,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        for (const client of server.clients) client.terminate();
        server.close();
        http.close(() => resolve());
      }),
  };
}
