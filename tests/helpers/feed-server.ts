/**
 * A loopback server that plays the app's origin for revocation tests: it
 * serves `/api/auth/revocations` in a mode the test picks (a feed, or one of
 * its failure modes), and with a `target` proxies everything else (and the
 * feed itself in mode `pass`) to a real app server, like a load balancer in
 * front of instances. Every feed request is counted per mode. The network is
 * real; only what this origin answers is ours.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { RevocationFeedDocument } from "@/lib/edge/revocation-feed";

export type FeedMode = "pass" | "feed" | "refuse" | "slow" | "malformed" | "huge" | "error";

export interface FeedServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  setMode(mode: FeedMode): void;
  /** The document served in mode `feed`. */
  setFeed(doc: RevocationFeedDocument): void;
  /** Feed requests seen, per mode. */
  hits(mode?: FeedMode): number;
  close(): Promise<void>;
}

export const FEED_PATH = "/api/auth/revocations";

function proxy(target: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
  const upstream = http.request(
    { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
}

/** Starts the server; `target` is the app server behind it (optional for unit tests). */
export async function startFeedServer(options: { target?: string; mode?: FeedMode } = {}): Promise<FeedServer> {
  const target = options.target ? new URL(options.target) : undefined;
  let mode: FeedMode = options.mode ?? (target ? "pass" : "feed");
  let feed: RevocationFeedDocument = {
    version: 1,
    generatedAt: Math.floor(Date.now() / 1000),
    sessions: [],
    users: {},
  };
  const hits = new Map<FeedMode, number>();
  const held = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const isFeed = (req.url ?? "").split("?")[0] === FEED_PATH;
    if (!isFeed) {
      if (target) return proxy(target, req, res);
      res.writeHead(404).end();
      return;
    }
    hits.set(mode, (hits.get(mode) ?? 0) + 1);
    switch (mode) {
      case "pass":
        if (target) return proxy(target, req, res);
        res.writeHead(404).end();
        return;
      case "feed":
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(feed));
        return;
      case "refuse":
        req.socket.destroy();
        return;
      case "slow":
        held.add(res); // never answered; released at close
        return;
      case "malformed":
        res.writeHead(200, { "content-type": "application/json" }).end('{"version":1,"sessions":"all"');
        return;
      case "huge": {
        // 4 MiB of plausible handles, chunked (no content-length): the reader must stop on its own.
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"version":1,"generatedAt":1,"users":{},"sessions":[');
        const chunk = `${Array.from({ length: 4096 }, () => '"AAAAAAAAAAAAAAAA"').join(",")},`;
        for (let i = 0; i < 64; i++) res.write(chunk);
        res.end('"AAAAAAAAAAAAAAAA"]}');
        return;
      }
      case "error":
        res.writeHead(500, { "content-type": "text/plain" }).end("boom");
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setMode: (next) => {
      mode = next;
    },
    setFeed: (doc) => {
      feed = doc;
    },
    hits: (which) => (which ? (hits.get(which) ?? 0) : [...hits.values()].reduce((a, b) => a + b, 0)),
    close: () =>
      new Promise((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
