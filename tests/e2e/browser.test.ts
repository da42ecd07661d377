/**
 * The UI in real Chromium against `next start`: sign-up, dashboard, sign-out,
 * and the error messages a person sees.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserMissing, launchBrowser } from "../helpers/browser";
import { uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";

let server: NextServer;
let browser: Browser;

beforeAll(async () => {
  if (browserMissing) return;
  server = await startNext();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function fill(page: Page, fields: Record<string, string>) {
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
}

describe.skipIf(browserMissing)("UI in Chromium", () => {
  const email = uniqueEmail("ui");

  it("sends a visitor from /dashboard to sign-up and back, shows the user, and signs out", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/dashboard`);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(new URL(page.url()).searchParams.get("next")).toBe("/dashboard");

    await page.goto(`${server.url}/sign-up?next=/dashboard`);
    await fill(page, { Name: "Ui User", Email: email, Password: "correct-horse-1" });
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${server.url}/dashboard`);
    expect(await page.getByTestId("email").textContent()).toBe(email);
    expect(Date.parse((await page.getByTestId("token-expiry").getAttribute("datetime")) as string)).toBeGreaterThan(
      Date.now(),
    );

    const cookies = await page.context().cookies();
    const access = cookies.find((c) => c.name === "eg.access");
    expect(access).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    // The token never reaches script.
    expect(await page.evaluate(() => document.cookie)).not.toContain("eg.access");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto(`${server.url}/dashboard`);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
  });

  it("shows clear errors: wrong password, taken email, weak password", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/sign-in`);
    await fill(page, { Email: email, Password: "not-the-password" });
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.locator("p.error[role=alert]").textContent()).toBe("Wrong email or password.");

    await page.goto(`${server.url}/sign-up`);
    await fill(page, { Name: "Again", Email: email, Password: "correct-horse-1" });
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => page.locator("p.error[role=alert]").textContent()).toContain("already exists");

    await page.goto(`${server.url}/sign-up`);
    await fill(page, { Name: "Weak", Email: uniqueEmail("weak"), Password: "short" });
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => page.locator("p.error[role=alert]").textContent()).toContain("too weak");
  });

  it("signs in and lands on next", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/sign-in?next=/dashboard%3Ftab%3D1`);
    await fill(page, { Email: email, Password: "correct-horse-1" });
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${server.url}/dashboard?tab=1`);
    expect(await page.getByTestId("email").textContent()).toBe(email);
  });
});
