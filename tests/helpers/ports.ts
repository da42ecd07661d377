import net from "node:net";

/**
 * Ports are picked below Linux's ephemeral range (32768–60999), where the
 * kernel never hands one out on its own: a port asked for with `listen(0)`
 * by a server started at the same time (workerd, wrangler, Next) or taken by
 * an outgoing connection can then never be the one a child server is about
 * to bind. The CI run once lost a FastAPI start to exactly that.
 */
const LOW = 20_000;
const HIGH = 32_000;
const handedOut = new Set<number>();

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A TCP port that was free a moment ago on 127.0.0.1 and that this process has not handed out before (other processes may hold ports: never hard-code one). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (handedOut.has(port) || !(await bindable(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free TCP port between ${LOW} and ${HIGH} on 127.0.0.1 after 200 tries`);
}
