/**
 * The account flows a person clicks, in real Chromium against `next start`
 * (production mode) with a real SMTP server in this process and email
 * verification required: forgot → mail → reset → the old password fails;
 * sign-up → mail → verified → dashboard. Plus, over HTTP, a production start
 * without `SMTP_URL`: mail is off, said once, and reset by mail is not offered.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserMissing, launchBrowser } from "../helpers/browser";
import { CookieJar, signUp, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";
import { freePort } from "../helpers/ports";
import type { SmtpServer } from "../helpers/smtp";
import { onlyLink, startSmtp } from "../helpers/smtp";

const PASSWORD = "correct-horse-1";
const NEW_PASSWORD = "brand-new-pass-2";

let server: NextServer;
let smtp: SmtpServer;
let browser: Browser;

beforeAll(async () => {
  if (browserMissing) return;
  smtp = await startSmtp();
  const port = await freePort();
  server = await startNext({
    port,
    env: {
      // The links in mails are built from this origin: the one the browser uses.
      BETTER_AUTH_URL: `http://127.0.0.1:${port}`,
      SMTP_URL: smtp.url,
      MAIL_FROM: '"edge-guard tests" <accounts@example.test>',
      AUTH_REQUIRE_EMAIL_VERIFICATION: "1",
    },
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.stop();
});

async function fill(page: Page, fields: Record<string, string>) {
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
}

/** Repeats a call the rate limiter refused (429) once its window has passed. */
async function pastRateLimit(call: () => Promise<Response>): Promise<Response> {
  for (let attempt = 0; attempt < 30; attempt++) {
    const response = await call();
    if (response.status !== 429) return response;
    await new Promise((r) => setTimeout(r, Number(response.headers.get("x-retry-after") ?? 2) * 1000));
  }
  throw new Error("stayed rate limited");
}

/** A user whose address is confirmed (sign-up and the mail's link, over HTTP). */
async function verifiedUser(email: string): Promise<void> {
  const response = await pastRateLimit(
    async () => (await signUp(server.url, { email, password: PASSWORD, name: "Reset Me" })).response,
  );
  expect(response.status).toBe(200);
  const verified = await fetch(onlyLink(await smtp.waitForMail(email)), { redirect: "manual" });
  expect(verified.status).toBe(302);
}

async function signInOverHttp(email: string, password: string): Promise<{ status: number; jar: CookieJar }> {
  const jar = new CookieJar();
  const response = await pastRateLimit(() =>
    fetch(`${server.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: JSON.stringify({ email, password }),
    }),
  );
  jar.store(response);
  return { status: response.status, jar };
}

/**
 * Clicks a form's button and waits for its auth call; a 429 from Better Auth's
 * rate limiter (every request here comes from one address) is shown to the
 * user, then waited out and the click repeated, so the test checks the flow.
 */
async function submit(page: Page, button: string, apiPath: string): Promise<void> {
  for (let attempt = 0; attempt < 30; attempt++) {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes(`/api/auth${apiPath}`) && r.request().method() === "POST"),
      page.getByRole("button", { name: button }).click(),
    ]);
    if (response.status() !== 429) return;
    await expect.poll(() => alertText(page)).toMatch(/too many/i);
    await page.waitForTimeout(Number(response.headers()["x-retry-after"] ?? 2) * 1000);
  }
  throw new Error(`${apiPath} stayed rate limited`);
}

const alertText = (page: Page) => page.locator("p.error[role=alert]").first().textContent();

describe.skipIf(browserMissing)("account flows in Chromium", () => {
  it("forgot → mail → reset: the old password fails, the new one works, other devices are signed out", async () => {
    const email = uniqueEmail("forgot");
    await verifiedUser(email);
    const otherDevice = await signInOverHttp(email, PASSWORD);
    expect(otherDevice.status).toBe(200);

    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.waitForURL(`${server.url}/forgot-password`);
    await fill(page, { Email: email });
    await submit(page, "Send me a reset link", "/request-password-reset");
    await expect.poll(() => page.getByTestId("reset-requested").textContent()).toContain(email);

    const mail = await smtp.waitForMail(email);
    expect(mail.fromHeader).toContain("accounts@example.test");
    const link = onlyLink(mail);
    expect(new URL(link).origin).toBe(server.url);
    await page.goto(link);
    expect(new URL(page.url()).pathname).toBe("/reset-password");
    await fill(page, { "New password": "password123", "New password, again": "password123" });
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect.poll(() => alertText(page)).toContain("too weak");
    await fill(page, { "New password": NEW_PASSWORD, "New password, again": NEW_PASSWORD });
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.waitForURL(`${server.url}/sign-in?reset=done`);
    expect(await page.getByRole("status").first().textContent()).toContain("password was changed");

    // The other device's session is gone: its refresh fails at once.
    const refresh = await fetch(`${server.url}/api/auth/refresh`, {
      method: "POST",
      headers: { cookie: otherDevice.jar.header(), origin: server.url },
    });
    expect(refresh.status).toBe(401);

    await fill(page, { Email: email, Password: PASSWORD });
    await submit(page, "Sign in", "/sign-in/email");
    await expect.poll(() => alertText(page)).toBe("Wrong email or password.");
    await fill(page, { Email: email, Password: NEW_PASSWORD });
    await submit(page, "Sign in", "/sign-in/email");
    await page.waitForURL(`${server.url}/dashboard`);
    expect(await page.getByTestId("email").textContent()).toBe(email);

    // The link was spent.
    const again = await (await browser.newContext()).newPage();
    await again.goto(link);
    await fill(again, { "New password": "another-new-pass-3", "New password, again": "another-new-pass-3" });
    await again.getByRole("button", { name: "Set new password" }).click();
    await expect.poll(() => alertText(again)).toContain("expired or was already used");
  });

  it("verification on: sign-up → mail → the link signs in and lands on the dashboard", async () => {
    const email = uniqueEmail("verify-ui");
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/sign-up`);
    await fill(page, { Name: "Vera Ui", Email: email, Password: PASSWORD });
    await submit(page, "Create account", "/sign-up/email");
    await expect.poll(() => page.getByRole("heading", { name: "Check your inbox" }).count()).toBe(1);
    const first = await smtp.waitForMail(email);
    expect(first.subject).toContain("Confirm your email address");

    // Before the link is followed, sign-in is refused, and the page offers a new link.
    const elsewhere = await (await browser.newContext()).newPage();
    await elsewhere.goto(`${server.url}/sign-in`);
    await fill(elsewhere, { Email: email, Password: PASSWORD });
    await submit(elsewhere, "Sign in", "/sign-in/email");
    await expect.poll(() => alertText(elsewhere)).toContain("Confirm your email address first");
    await submit(elsewhere, "Send the link again", "/send-verification-email");
    await expect.poll(() => elsewhere.getByRole("status").first().textContent()).toContain("new link is on its way");
    const second = await smtp.waitForMail(email);
    expect(new URL(onlyLink(second)).pathname).toBe("/api/auth/verify-email");

    await page.goto(onlyLink(first));
    await page.waitForURL(`${server.url}/dashboard`);
    expect(await page.getByTestId("email").textContent()).toBe(email);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === "eg.access")).toMatchObject({ httpOnly: true });
  });

  it("shows the rate limiter's 429 message on the page", async () => {
    const email = uniqueEmail("limited");
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/sign-up`);
    await fill(page, { Name: "Lim", Email: email, Password: PASSWORD });
    await submit(page, "Create account", "/sign-up/email");
    let limited = false;
    for (let attempt = 0; attempt < 20 && !limited; attempt++) {
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().includes("/api/auth/send-verification-email")),
        page.getByRole("button", { name: "Send the link again" }).click(),
      ]);
      limited = response.status() === 429;
      await expect.poll(() => page.getByRole("button", { name: "Send the link again" }).isEnabled()).toBe(true);
    }
    expect(limited).toBe(true);
    await expect.poll(() => alertText(page)).toMatch(/too many requests/i);
  });

  it("says so on sign-in when a verification link has expired", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/sign-in?next=${encodeURIComponent("/dashboard?error=TOKEN_EXPIRED")}`);
    expect(await alertText(page)).toContain("confirmation link has expired");
    expect(await page.locator("main").getByRole("link", { name: "Sign up" }).getAttribute("href")).toBe(
      "/sign-up?next=%2Fdashboard",
    );
  });

  it("never writes a token or a link to the production log", () => {
    const log = server.output();
    expect(log).not.toMatch(/token=/);
    expect(log).not.toContain("/reset-password?");
    expect(log).not.toContain("verify-email?");
  });
});

describe("production without SMTP_URL: mail is off", () => {
  let off: NextServer;
  beforeAll(async () => {
    off = await startNext({ env: { SMTP_URL: undefined, AUTH_REQUIRE_EMAIL_VERIFICATION: undefined } });
  });
  afterAll(async () => {
    await off?.stop();
  });

  it("says so once at start, and /forgot-password says reset by mail is not set up", async () => {
    expect(off.output().match(/Mail is off/g)).toHaveLength(1);
    const page = await fetch(`${off.url}/forgot-password`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Password reset by mail is not set up on this deployment");
    // The development outbox page does not exist in production.
    expect((await fetch(`${off.url}/dev/outbox`)).status).toBe(404);
  });

  it("refuses to start with AUTH_REQUIRE_EMAIL_VERIFICATION=1, in one line naming SMTP_URL", async () => {
    const failure = await startNext({ env: { SMTP_URL: undefined, AUTH_REQUIRE_EMAIL_VERIFICATION: "1" } }).then(
      async (started) => {
        await started.stop();
        return "started";
      },
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/next start exited with 1/);
    const lines = failure.split("\n").filter((l) => l.includes("[edge-guard]"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("AUTH_REQUIRE_EMAIL_VERIFICATION=1 needs mail: set SMTP_URL");
  });

  it("answers reset requests for known and unknown emails alike, and logs no link", async () => {
    const email = uniqueEmail("off");
    expect((await signUp(off.url, { email, password: PASSWORD, name: "Off" })).response.status).toBe(200);
    const ask = (address: string) =>
      fetch(`${off.url}/api/auth/request-password-reset`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: off.url },
        body: JSON.stringify({ email: address, redirectTo: "/reset-password" }),
      });
    const [known, unknown] = [await ask(email), await ask(uniqueEmail("off-unknown"))];
    expect(known.status).toBeLessThan(500);
    expect(unknown.status).toBe(known.status);
    expect(await unknown.json()).toEqual(await known.json());
    expect(off.output()).not.toMatch(/token=|reset-password\?/);
  });
});
