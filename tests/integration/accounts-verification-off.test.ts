/**
 * The default: email verification off, here with `AUTH_PASSWORD_MIN_LENGTH=12`,
 * on PGlite and a real SMTP server. Sign-up signs in at once and mails nobody;
 * reset and email change still go by mail.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import { authCaller } from "../helpers/auth-handler";
import { uniqueEmail } from "../helpers/http";
import type { SmtpServer } from "../helpers/smtp";
import { onlyLink, startSmtp } from "../helpers/smtp";
import type { AuthApp } from "./auth-flows";
import { loadAuthApp } from "./auth-flows";

const PASSWORD = "correct-horse-1";
let app: AuthApp;
let smtp: SmtpServer;

beforeAll(async () => {
  smtp = await startSmtp();
  delete process.env.DATABASE_URL;
  delete process.env.AUTH_REQUIRE_EMAIL_VERIFICATION;
  process.env.SMTP_URL = smtp.url;
  process.env.AUTH_PASSWORD_MIN_LENGTH = "12";
  app = await loadAuthApp();
});
afterAll(async () => {
  await smtp?.stop();
});

describe("verification off (the default), AUTH_PASSWORD_MIN_LENGTH=12", () => {
  it("signs up and in at once, and mails nobody", async () => {
    const email = uniqueEmail("no-verify");
    const user = authCaller(app.handler);
    expect((await user.call("/sign-up/email", { body: { email, password: PASSWORD, name: "Nv" } })).status).toBe(200);
    expect(user.jar.get(ACCESS_COOKIE)).toBeTruthy();
    const { mailSettled } = await import("@/lib/mail");
    await mailSettled();
    expect(smtp.messages().filter((m) => m.to.includes(email))).toHaveLength(0);
  });

  it("refuses a strong password shorter than the configured minimum, naming it", async () => {
    const response = await authCaller(app.handler).call("/sign-up/email", {
      body: { email: uniqueEmail("min12"), password: "zebra-lamp4", name: "Short" },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: "PASSWORD_TOO_SHORT",
      message: "Password is too weak: use at least 12 characters.",
    });
  });

  it("still resets by mail", async () => {
    const email = uniqueEmail("no-verify-reset");
    await authCaller(app.handler).call("/sign-up/email", { body: { email, password: PASSWORD, name: "Rv" } });
    const ask = await authCaller(app.handler).call("/request-password-reset", { body: { email } });
    expect(ask.status).toBe(200);
    const token = new URL(onlyLink(await smtp.waitForMail(email))).searchParams.get("token");
    const reset = await authCaller(app.handler).call("/reset-password", {
      body: { newPassword: "brand-new-pass-2", token },
    });
    expect(reset.status).toBe(200);
  });

  it("changes an unverified address only through the link mailed to the new one", async () => {
    const email = uniqueEmail("no-verify-old");
    const newEmail = uniqueEmail("no-verify-new");
    const user = authCaller(app.handler);
    await user.call("/sign-up/email", { body: { email, password: PASSWORD, name: "Ce" } });
    expect((await user.call("/change-email", { body: { newEmail } })).status).toBe(200);
    const row = () => app.db.selectFrom("user").select("email").where("email", "in", [email, newEmail]).execute();
    expect(await row()).toEqual([{ email }]);
    const link = new URL(onlyLink(await smtp.waitForMail(newEmail)));
    const followed = await user.call(`${link.pathname.replace(/^\/api\/auth/, "")}${link.search}`);
    expect(followed.status).toBe(302);
    expect(await row()).toEqual([{ email: newEmail }]);
  });
});
