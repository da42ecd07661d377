/**
 * The Better Auth flows on embedded PGlite (the default with no `DATABASE_URL`).
 */
import { beforeAll } from "vitest";
import { describeAccountSettings } from "./account-settings-flows";
import type { AuthApp } from "./auth-flows";
import { describeAuthFlows, loadAuthApp } from "./auth-flows";

let app: AuthApp;

beforeAll(async () => {
  delete process.env.DATABASE_URL;
  app = await loadAuthApp();
});

describeAuthFlows("Better Auth on PGlite", () => app);
describeAccountSettings("Account settings endpoints on PGlite", () => app);
