/**
 * The account lifecycle on PostgreSQL 15 through the Neon driver (over the
 * kit's loopback bridge), with a real SMTP server in this process and email
 * verification required. The cluster is started here and removed after.
 */
import { afterAll, beforeAll, describe } from "vitest";
import type { PostgresServer } from "../helpers/postgres";
import { skipWithoutPostgres, startPostgres } from "../helpers/postgres";
import type { SmtpServer } from "../helpers/smtp";
import { startSmtp } from "../helpers/smtp";
import { describeAccountFlows } from "./account-flows";
import type { AuthApp } from "./auth-flows";
import { loadAuthApp } from "./auth-flows";

const skip = skipWithoutPostgres("account flows on PostgreSQL 15");
let server: PostgresServer | undefined;
let smtp: SmtpServer | undefined;
let app: AuthApp;

describe.skipIf(skip)("PostgreSQL 15 through the Neon driver", () => {
  beforeAll(async () => {
    server = await startPostgres();
    smtp = await startSmtp();
    process.env.DATABASE_URL = server.url;
    process.env.SMTP_URL = smtp.url;
    process.env.AUTH_REQUIRE_EMAIL_VERIFICATION = "1";
    app = await loadAuthApp();
  });
  afterAll(async () => {
    const { mailSettled } = await import("@/lib/mail");
    await mailSettled();
    const { getDb } = await import("@/lib/db");
    await getDb().close();
    await server?.remove();
    await smtp?.stop();
  });

  describeAccountFlows(
    "Accounts on PostgreSQL 15 over SMTP",
    () => app,
    () => smtp as SmtpServer,
  );
});
