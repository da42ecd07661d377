/**
 * Issue 4, item 8: the same guard behind Next 16's `proxy.ts` (Node runtime)
 * instead of `middleware.ts` (Edge). A temporary copy of the app is built with
 * the file renamed and run with `next start`; it must answer exactly as the
 * default build does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppCopy } from "../helpers/app-copy";
import { buildAppCopy } from "../helpers/app-copy";
import { builtMiddleware } from "../helpers/built-middleware";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";
import { guardContract } from "./guard-contract";

let copy: AppCopy | undefined;
let server: NextServer | undefined;

beforeAll(async () => {
  copy = await buildAppCopy({ middleware: "proxy" });
  server = await startNext({ cwd: copy.dir });
});
afterAll(async () => {
  await server?.stop();
  await copy?.remove();
});

describe("proxy.ts build", () => {
  it("runs the guard on the Node runtime, not as an edge function", async () => {
    const built = await builtMiddleware(copy?.dir ?? "");
    expect(built.runtime).toBe("nodejs");
    expect(built.edgeFiles).toEqual([]);
  });
});

guardContract("proxy.ts on Node", () => {
  if (!server) throw new Error("the proxy build did not start");
  return server;
});
