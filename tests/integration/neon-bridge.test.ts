/**
 * The loopback WebSocket→TCP bridge the Neon driver uses for a local
 * Postgres, against real sockets (a TCP echo server stands in for Postgres).
 */
import net from "node:net";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createDb } from "@/lib/db";
import type { NeonBridge } from "@/lib/db/neon-bridge";
import { startNeonBridge } from "@/lib/db/neon-bridge";
import { freePort } from "../helpers/ports";

let echo: net.Server;
let echoPort: number;
let bridge: NeonBridge;
const dialled: string[] = [];

function open(host: string, port: number): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(`ws://${bridge.proxyFor(host, port)}`);
  const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve({ ws, closed }));
    ws.once("error", reject);
  });
}

beforeAll(async () => {
  echo = net.createServer((socket) => {
    dialled.push(String(socket.remotePort));
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  echoPort = (echo.address() as net.AddressInfo).port;
  bridge = await startNeonBridge({ host: "127.0.0.1", port: echoPort });
});
afterAll(async () => {
  await bridge.close();
  await new Promise((resolve) => echo.close(resolve));
});

describe("the Neon WebSocket bridge", () => {
  it("forwards bytes both ways to its target", async () => {
    const { ws } = await open("127.0.0.1", echoPort);
    const reply = new Promise<Buffer>((resolve) => ws.once("message", (data: Buffer) => resolve(data)));
    ws.send(Buffer.from("ping"));
    expect((await reply).toString()).toBe("ping");
    ws.close();
  });

  it("refuses any address but its target, without dialling it", async () => {
    const before = dialled.length;
    const others: Array<[string, number]> = [
      ["127.0.0.1", echoPort + 1],
      ["10.0.0.1", echoPort],
      ["localhost", echoPort], // the allow-list is literal: the URL's host, nothing it might resolve to
    ];
    for (const [host, port] of others) {
      const { closed } = await open(host, port);
      expect(await closed).toBe(1008);
    }
    expect(dialled.length).toBe(before);
  });

  it("closes the WebSocket and reports why when the target cannot be reached", async () => {
    const port = await freePort();
    const lonely = await startNeonBridge({ host: "127.0.0.1", port });
    try {
      const ws = new WebSocket(`ws://${lonely.proxyFor("127.0.0.1", port)}`);
      await new Promise((resolve) => ws.once("close", resolve));
      expect(lonely.lastError()).toMatch(/ECONNREFUSED/);
    } finally {
      await lonely.close();
    }
  });
});

describe("an unreachable loopback database", () => {
  it("fails a query with DatabaseUnavailableError naming the host and the cause", async () => {
    const port = await freePort();
    const { db, close } = createDb({
      databaseUrl: `postgres://u:p@localhost:${port}/db`,
      connectionTimeoutMillis: 5_000,
    });
    try {
      const error = await sql`select 1`.execute(db).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ name: "DatabaseUnavailableError", code: "DATABASE_UNAVAILABLE" });
      expect((error as Error).message).toContain(`localhost:${port}`);
      expect((error as Error).message).toMatch(/ECONNREFUSED/);
    } finally {
      await close();
    }
  });
});
