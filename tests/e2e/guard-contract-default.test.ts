/**
 * The guard's HTTP contract against the default build (`middleware.ts` on the
 * Edge runtime), built once by the global setup: the baseline the `proxy.ts`
 * variant is held to.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtMiddleware } from "../helpers/built-middleware";
import type { NextServer } from "../helpers/next-server";
import { ROOT, startNext } from "../helpers/next-server";
import { guardContract } from "./guard-contract";

let server: NextServer | undefined;

beforeAll(async () => {
  server = await startNext();
});
afterAll(() => server?.stop());

describe("default build", () => {
  it("lists middleware.ts as an edge function with its bundle under server/edge/", async () => {
    const built = await builtMiddleware(ROOT);
    expect(built.runtime).toBe("edge");
    expect(built.edgeFiles.length).toBeGreaterThan(0);
    for (const file of built.edgeFiles) expect(file).toMatch(/^server\/edge\//);
  });
});

guardContract("middleware.ts on Edge", () => {
  if (!server) throw new Error("the default build did not start");
  return server;
});
