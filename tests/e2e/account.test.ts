/**
 * The account page in real Chromium against `next start`: the header, the
 * devices list across two browser contexts (one signs the other out, whose
 * next refresh lands on sign-in), a password change, deleting the account,
 * and the keyboard alone.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import { refusedSignIn, submitAuthForm } from "../helpers/auth-ui";
import { browserMissing, launchBrowser } from "../helpers/browser";
import { uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";

const PASSWORD = "correct-horse-1";
const NEW_PASSWORD = "violet-kettle-93-drum";
/** Generous: a password change hashes twice, and this machine is shared. */
const POLL = { timeout: 30_000, interval: 200 };

let server: NextServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (browserMissing) return;
  // A 65 s token: open pages refresh it in the background about every 5 s, so "the next refresh" comes soon.
  server = await startNext({ env: { AUTH_JWT_TTL: "65" } });
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  context.setDefaultTimeout(90_000); // a sign-up hashes a password on a shared 2-core machine
  contexts.push(context);
  return context.newPage();
}

async function signUp(email: string, name = "Acc User"): Promise<Page> {
  const page = await newPage();
  await submitAuthForm(page, { base: server.url, mode: "sign-up", email, password: PASSWORD, name });
  return page;
}

async function signIn(email: string, password = PASSWORD, page?: Page): Promise<Page> {
  const target = page ?? (await newPage());
  await submitAuthForm(target, { base: server.url, mode: "sign-in", email, password });
  return target;
}

const path = (page: Page) => new URL(page.url()).pathname;
const authCookies = async (page: Page) =>
  (await page.context().cookies()).filter((c) => c.name === ACCESS_COOKIE || c.name.includes("session_token"));

describe.skipIf(browserMissing)("account page in Chromium", { timeout: 300_000 }, () => {
  it("shows Sign in / Sign up signed out, the user's name with Account and Sign out signed in; the dashboard links to /account", async () => {
    const page = await newPage();
    await page.goto(server.url);
    const nav = page.getByRole("navigation", { name: "Account" });
    expect(await nav.getByRole("link").allTextContents()).toEqual(["Sign in", "Sign up"]);

    const email = uniqueEmail("header");
    const user = await signUp(email, "Header Hanna");
    const header = user.getByRole("navigation", { name: "Account" });
    expect(await header.getByTestId("header-name").textContent()).toBe("Header Hanna");
    expect(await header.getByRole("link").allTextContents()).toEqual(["Dashboard", "Account"]);
    expect(await header.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
    await user.getByTestId("account-link").click();
    await user.waitForURL(`${server.url}/account`);
    expect(await user.getByTestId("account-email").textContent()).toBe(email);
    await user.goto(server.url); // public pages know the user too
    expect(await user.getByTestId("header-name").textContent()).toBe("Header Hanna");
  });

  it("two contexts: 'sign out everywhere else' in one, and the other's next refresh sends it to sign-in", async () => {
    const email = uniqueEmail("everywhere");
    const laptop = await signUp(email);
    const phone = await signIn(email);
    const tablet = await signIn(email);

    await laptop.goto(`${server.url}/account`);
    expect(await laptop.getByTestId("device-current").count()).toBe(1);
    expect(await laptop.getByTestId("device").count()).toBe(2);
    expect(await laptop.getByTestId("device-current").textContent()).toContain("This device");
    expect(await laptop.getByTestId("device-current").textContent()).toMatch(/Chrome \d+ on Linux/);

    await laptop.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect
      .poll(() => laptop.getByRole("status").allTextContents(), POLL)
      .toContain("Signed out everywhere else.");
    await expect.poll(() => laptop.getByTestId("device").count(), POLL).toBe(0);
    expect(await laptop.getByTestId("device-current").count()).toBe(1);

    // The phone's open dashboard refreshes its token in the background: the 401 sends it to sign-in by itself.
    await phone.waitForURL(/\/sign-in\?next=%2Fdashboard/, { timeout: 90_000 });
    expect((await authCookies(phone)).map((c) => c.name)).not.toContain(ACCESS_COOKIE);
    // The tablet's token "expires" (its cookie is gone): the next navigation takes the refresh hop to sign-in.
    await tablet.context().clearCookies({ name: ACCESS_COOKIE });
    await tablet.goto(`${server.url}/dashboard`);
    expect(path(tablet)).toBe("/sign-in");
    expect(await tablet.evaluate(() => fetch("/api/auth/refresh", { method: "POST" }).then((r) => r.status))).toBe(401);

    await laptop.reload();
    expect(path(laptop)).toBe("/account");
  });

  it("signs out one device from the list and leaves the others", async () => {
    const email = uniqueEmail("one-device");
    const laptop = await signUp(email);
    const phone = await signIn(email);
    await laptop.goto(`${server.url}/account`);
    await laptop
      .getByTestId("device")
      .getByRole("button", { name: /^Sign out / })
      .click();
    await expect.poll(() => laptop.getByRole("status").allTextContents(), POLL).toContain("Signed out that device.");
    await expect.poll(() => laptop.getByTestId("device").count(), POLL).toBe(0);
    await phone.waitForURL(/\/sign-in/, { timeout: 90_000 });
    await laptop.reload();
    expect(path(laptop)).toBe("/account");
  });

  it("changes the password: this device stays signed in, the others are signed out, the old password fails", async () => {
    const email = uniqueEmail("password");
    const laptop = await signUp(email);
    const phone = await signIn(email);
    await laptop.goto(`${server.url}/account`);
    expect(await laptop.getByLabel("Sign out my other devices").isChecked()).toBe(true);

    await laptop.getByLabel("Current password").fill("not-my-password");
    await laptop.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await laptop.getByLabel("Repeat new password").fill(NEW_PASSWORD);
    await laptop.getByRole("button", { name: "Change password" }).click();
    await expect
      .poll(() => laptop.getByRole("alert").allTextContents(), POLL)
      .toContain("That is not your current password.");

    await laptop.getByLabel("Current password").fill(PASSWORD);
    await laptop.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await laptop.getByLabel("Repeat new password").fill(NEW_PASSWORD);
    await laptop.getByRole("button", { name: "Change password" }).click();
    await expect
      .poll(() => laptop.getByRole("status").allTextContents(), POLL)
      .toContain("Password changed. Your other devices are signed out.");
    await phone.waitForURL(/\/sign-in/, { timeout: 90_000 });

    await laptop.goto(`${server.url}/dashboard`);
    expect(path(laptop)).toBe("/dashboard");
    expect(await laptop.evaluate(() => fetch("/api/auth/refresh", { method: "POST" }).then((r) => r.status))).toBe(200);

    expect(await refusedSignIn(phone, { base: server.url, email, password: PASSWORD })).toBe(
      "Wrong email or password.",
    );
    await signIn(email, NEW_PASSWORD, phone);
  });

  it("deletes the account with the password: signed out everywhere, cookies gone, the email can no longer sign in", async () => {
    const email = uniqueEmail("delete");
    const laptop = await signUp(email);
    const phone = await signIn(email);
    await laptop.goto(`${server.url}/account`);

    await laptop.getByLabel("Your password").fill("not-my-password");
    await laptop.getByRole("button", { name: "Delete my account" }).click();
    await expect
      .poll(() => laptop.getByRole("alert").allTextContents(), POLL)
      .toContain("That is not your current password. Your account was not deleted.");

    await laptop.getByLabel("Your password").fill(PASSWORD);
    await laptop.getByRole("button", { name: "Delete my account" }).click();
    await laptop.waitForURL(`${server.url}/?account=deleted`);
    expect(await laptop.getByRole("status").allTextContents()).toContain(
      "Your account was deleted and every device signed out.",
    );
    expect(await authCookies(laptop)).toEqual([]);
    expect(await laptop.getByRole("navigation", { name: "Account" }).getByRole("link").allTextContents()).toEqual([
      "Sign in",
      "Sign up",
    ]);
    await laptop.goto(`${server.url}/account`);
    expect(path(laptop)).toBe("/sign-in");
    await phone.waitForURL(/\/sign-in/, { timeout: 90_000 });

    expect(await refusedSignIn(laptop, { base: server.url, email, password: PASSWORD })).toBe(
      "Wrong email or password.",
    );
  });

  it("works with the keyboard alone: Tab to the name field, type, Enter saves", async () => {
    const page = await signUp(uniqueEmail("keyboard"), "Key Board");
    await page.goto(`${server.url}/account`);
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.getAttribute("name") === "name");
    }
    expect(reached).toBe(true);
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("Keyed In");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("status").allTextContents(), POLL).toContain("Saved.");
    await page.reload();
    expect(await page.getByTestId("header-name").textContent()).toBe("Keyed In");

    // Tab on to the delete button: every control on the way is reachable and shows a focus ring.
    let onDelete = false;
    for (let i = 0; i < 40 && !onDelete; i++) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return { text: el?.textContent ?? "", outline: el ? getComputedStyle(el).outlineStyle : "none" };
      });
      expect(focused.outline).not.toBe("none");
      onDelete = focused.text === "Delete my account";
    }
    expect(onDelete).toBe(true);
  });
});
