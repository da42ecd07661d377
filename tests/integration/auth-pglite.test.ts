/**
 * The Better Auth flows on embedded PGlite (the default with no `DATABASE_URL`).
 */
import { beforeAll } from "vitest";
import { describeAccountFlows } from "./account-flows";
import type { AuthApp } from "./auth-flows";
import { describeAuthFlows, loadAuthApp } from "./auth-flows";

let app: AuthApp;

beforeAll(async () => {
  delete process.env.DATABASE_URL;
  app = await loadAuthApp();
});

describeAuthFlows("Better Auth on PGlite", () => app);
describeAccountFlows("Account endpoints on PGlite", () => app);
