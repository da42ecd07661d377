/**
 * Accessibility audit: axe-core in real Chromium on every page a person can
 * see (signed out, signed in, admin, the guard's own 403 and 503 pages and
 * the refresh hop's 503 page), at desktop width and on a 390 px phone. No
 * serious or critical violation; every finding is printed; nothing overflows
 * the phone's width.
 */
import { randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import { HYDRATED, submitAuthForm } from "../helpers/auth-ui";
import { browserMissing, launchBrowser } from "../helpers/browser";
import { uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";
import { freePort } from "../helpers/ports";

const PASSWORD = "correct-horse-1";
const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;

interface Finding {
  page: string;
  viewport: string;
  /** A violation fails the audit when serious or critical; "needs review" (axe could not decide) is printed only. */
  kind: "violation" | "needs review";
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

let app: NextServer;
let broken: NextServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const findings: Finding[] = [];
const adminEmail = uniqueEmail("a11y-admin");

beforeAll(async () => {
  if (browserMissing) return;
  const secret = randomBytes(32).toString("base64url");
  app = await startNext({ env: { BETTER_AUTH_SECRET: secret, AUTH_ADMIN_EMAILS: adminEmail } });
  // The same secret over a database that is not there: its JWKS cannot be served (guard 503) and sessions
  // cannot be looked up (refresh hop 503), while the app's own session cookies still carry valid signatures.
  const brokenPort = await freePort();
  const deadDb = await freePort();
  broken = await startNext({
    port: brokenPort,
    env: {
      BETTER_AUTH_SECRET: secret,
      BETTER_AUTH_URL: `http://127.0.0.1:${brokenPort}`,
      DATABASE_URL: `postgres://nobody:nothing@127.0.0.1:${deadDb}/none`,
    },
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await broken?.stop();
  await app?.stop();
  if (findings.length === 0) console.info("[a11y] axe found nothing on any page");
});

async function context(): Promise<BrowserContext> {
  const created = await browser.newContext();
  created.setDefaultTimeout(90_000); // a sign-up hashes a password on a shared 2-core machine
  contexts.push(created);
  return created;
}

async function signUp(ctx: BrowserContext, email: string): Promise<void> {
  const page = await ctx.newPage();
  await submitAuthForm(page, { base: app.url, mode: "sign-up", email, password: PASSWORD, name: "Audit User" });
  await page.close();
}

async function signIn(ctx: BrowserContext, email: string): Promise<void> {
  const page = await ctx.newPage();
  await submitAuthForm(page, { base: app.url, mode: "sign-in", email, password: PASSWORD });
  await page.close();
}

/** Audits the page as it is now at every viewport; records and prints what axe finds. */
async function audit(page: Page, label: string): Promise<void> {
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const found = [
      ...results.violations.map((v) => ({ kind: "violation" as const, v })),
      ...results.incomplete.map((v) => ({ kind: "needs review" as const, v })),
    ];
    for (const { kind, v } of found) {
      const finding: Finding = {
        page: label,
        viewport: viewport.name,
        kind,
        id: v.id,
        impact: v.impact ?? "unknown",
        help: v.help,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
      };
      findings.push(finding);
      console.info(
        `[a11y] ${label} (${viewport.name}): ${kind} ${finding.impact} ${finding.id}: ${finding.help} at ${finding.targets.join(", ")}`,
      );
    }
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      view: window.innerWidth,
    }));
    expect(widths.scroll, `${label} overflows at ${viewport.width} px`).toBeLessThanOrEqual(widths.view);
  }
}

/** Whether the page got the app's look (the CSP lets the guard pages' inline style through by its hash). */
const styled = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.querySelector("main") as Element).maxWidth);

/** Opens `path` and audits it; `status` is the HTTP status the page must have been served with. */
async function visit(ctx: BrowserContext, base: string, path: string, status = 200): Promise<Page> {
  const page = await ctx.newPage();
  const response = await page.goto(`${base}${path}`);
  expect(response?.status(), `${path} status`).toBe(status);
  await audit(page, `${path} [${status}]`);
  return page;
}

const serious = () =>
  findings.filter((f) => f.kind === "violation" && (f.impact === "serious" || f.impact === "critical"));

describe.skipIf(browserMissing)(
  "accessibility audit (axe-core in Chromium, desktop and 390 px)",
  { timeout: 300_000 },
  () => {
    it("signed-out pages", async () => {
      const ctx = await context();
      for (const path of ["/", "/sign-in", "/sign-up", "/forgot-password", "/reset-password?token=x"]) {
        const page = await ctx.newPage();
        const response = await page.goto(`${app.url}${path}`);
        await audit(page, `${path} [${response?.status()}] signed out`);
        await page.close();
      }
      // A form showing its error.
      const page = await ctx.newPage();
      await page.goto(`${app.url}/sign-in`, HYDRATED);
      await page.getByLabel("Email", { exact: true }).fill(uniqueEmail("nobody"));
      await page.getByLabel("Password", { exact: true }).fill("not-the-password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").filter({ hasText: /\w/ }).first().waitFor();
      await audit(page, "/sign-in with an error");
      expect(serious()).toEqual([]);
    });

    it("signed-in pages, with a second device listed and form messages shown", async () => {
      const ctx = await context();
      const email = uniqueEmail("a11y");
      await signUp(ctx, email);
      await signUp(await context(), adminEmail);
      // A second device for this user, so the devices list has a "Sign out" button.
      const other = await context();
      await signIn(other, email);

      for (const path of ["/", "/dashboard"]) await (await visit(ctx, app.url, path)).close();
      const account = await visit(ctx, app.url, "/account");
      await account.getByLabel("Your password").fill("not-my-password");
      await account.getByRole("button", { name: "Delete my account" }).click();
      await account
        .getByRole("alert")
        .filter({ hasText: /not deleted/ })
        .waitFor();
      await account.getByLabel("Display name").fill("Audit User Renamed");
      await account.getByRole("button", { name: "Save name" }).click();
      await account.getByRole("status").filter({ hasText: "Saved" }).waitFor();
      await audit(account, "/account with an error and a success message");
      expect(serious()).toEqual([]);
    });

    it("the admin page for an admin, and the guard's 403 page for everyone else", async () => {
      const admin = await context();
      await signIn(admin, adminEmail);
      await visit(admin, app.url, "/admin");

      const user = await context();
      await signUp(user, uniqueEmail("a11y-user"));
      const forbidden = await visit(user, app.url, "/admin", 403);
      expect(await forbidden.locator("html").getAttribute("lang")).toBe("en");
      expect(await styled(forbidden)).toBe("704px");
      expect(await forbidden.getByRole("heading", { level: 1 }).textContent()).toBe("Forbidden");
      expect(await forbidden.getByRole("link", { name: "Go to your dashboard" }).getAttribute("href")).toBe(
        "/dashboard",
      );
      expect(serious()).toEqual([]);
    });

    it("the guard's 503 page and the refresh hop's 503 page", async () => {
      const source = await context();
      await signUp(source, uniqueEmail("a11y-503"));
      const cookies = (await source.cookies()).filter((c) => c.name === ACCESS_COOKIE || c.name.includes("session"));
      const ctx = await context();
      await ctx.addCookies(cookies.map(({ name, value }) => ({ name, value, url: broken.url })));

      const guard = await visit(ctx, broken.url, "/dashboard", 503);
      expect(await guard.locator("html").getAttribute("lang")).toBe("en");
      expect(await styled(guard)).toBe("704px");
      expect(await guard.getByRole("heading", { level: 1 }).textContent()).toBe("Temporarily unavailable");
      expect(await guard.getByRole("link", { name: "Home" }).getAttribute("href")).toBe("/");

      await ctx.clearCookies({ name: ACCESS_COOKIE });
      const hop = await visit(ctx, broken.url, "/api/auth/refresh?next=%2Fdashboard", 503);
      expect(await hop.locator("html").getAttribute("lang")).toBe("en");
      expect(await styled(hop)).toBe("704px");
      expect(await hop.getByRole("heading", { level: 1 }).textContent()).toBe("Sign-in is temporarily unavailable");
      expect(await hop.getByRole("link", { name: "Try again" }).getAttribute("href")).toBe("/dashboard");
      expect(serious()).toEqual([]);
    });
  },
);
