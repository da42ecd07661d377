/**
 * The account lifecycle on embedded PGlite, with a real SMTP server in this
 * process and email verification required.
 */
import { afterAll, beforeAll } from "vitest";
import type { SmtpServer } from "../helpers/smtp";
import { startSmtp } from "../helpers/smtp";
import { describeAccountFlows } from "./account-flows";
import type { AuthApp } from "./auth-flows";
import { loadAuthApp } from "./auth-flows";

let app: AuthApp;
let smtp: SmtpServer;

beforeAll(async () => {
  smtp = await startSmtp();
  delete process.env.DATABASE_URL;
  process.env.SMTP_URL = smtp.url;
  process.env.AUTH_REQUIRE_EMAIL_VERIFICATION = "1";
  app = await loadAuthApp();
});
afterAll(async () => {
  await smtp?.stop();
});

describeAccountFlows(
  "Accounts on PGlite over SMTP",
  () => app,
  () => smtp,
);
