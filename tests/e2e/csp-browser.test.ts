/**
 * The Content-Security-Policy holds in real Chromium: every flow (home,
 * sign-up, dashboard, sign-out, sign-in, forgot/reset password, the 403 page)
 * runs without one violation, reported both as `securitypolicyviolation`
 * events and as console errors. A planted
 * inline style proves the collector sees violations and the policy is enforced.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserMissing, launchBrowser } from "../helpers/browser";
import { signUp, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";

let server: NextServer;
let browser: Browser;

beforeAll(async () => {
  if (browserMissing) return;
  server = await startNext();
  // The first sign-up of a cold server (database start, migrations, password checker) can take many seconds here.
  await signUp(server.url, { email: uniqueEmail("warm"), password: "correct-horse-1", name: "Warm" });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A context whose every page reports CSP violations (events and console lines) into `violations`. */
async function watchedContext(violations: string[]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  await context.exposeFunction("__reportCsp", (line: string) => violations.push(line));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __reportCsp: (line: string) => void }).__reportCsp;
      report(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} on ${location.pathname}`);
    });
  });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (/Content[- ]Security[- ]Policy|Refused to (load|execute|apply|connect|frame)/i.test(message.text())) {
      violations.push(`console: ${message.text()}`);
    }
  });
  return { context, page };
}

async function fill(page: Page, fields: Record<string, string>) {
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
}

describe.skipIf(browserMissing)("Content-Security-Policy in Chromium", () => {
  it("reports no violation on home, sign-up, dashboard, sign-out, sign-in and dashboard again", async () => {
    const violations: string[] = [];
    const { context, page } = await watchedContext(violations);
    const email = uniqueEmail("csp");
    await page.goto(`${server.url}/`);
    await page.goto(`${server.url}/sign-up?next=/dashboard`);
    await page.waitForLoadState("networkidle"); // hydrated: a click before that would submit the bare HTML form
    await fill(page, { Name: "Csp User", Email: email, Password: "correct-horse-1" });
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${server.url}/dashboard`, { timeout: 60_000 });
    expect(await page.getByTestId("email").textContent()).toBe(email);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    await page.waitForLoadState("networkidle");
    await fill(page, { Email: email, Password: "correct-horse-1" });
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/dashboard/);
    expect(await page.getByTestId("email").textContent()).toBe(email);
    await page.reload();
    await page.waitForLoadState("networkidle");
    // The account pages (mail): a plain visit renders their forms and scripts.
    for (const path of ["/forgot-password", "/reset-password?token=not-a-token", "/admin"]) {
      await page.goto(`${server.url}${path}`);
      await page.waitForLoadState("networkidle");
    }
    expect(violations).toEqual([]);
    await context.close();
  });

  it("is enforced: an inline style planted in the page is blocked and reported", async () => {
    const violations: string[] = [];
    const { context, page } = await watchedContext(violations);
    await page.goto(`${server.url}/sign-in`);
    await page.evaluate(() => {
      const style = document.createElement("style");
      style.textContent = "body { outline: 1px solid red; }";
      document.head.append(style);
    });
    await expect.poll(() => violations.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(violations.join("\n")).toMatch(/style-src/);
    await context.close();
  });
});
