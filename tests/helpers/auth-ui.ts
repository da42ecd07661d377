/**
 * Signing up and in through the real pages in Chromium, as a person would.
 * Every browser here comes from 127.0.0.1, so Better Auth's rate limit on
 * sign-in and sign-up (a few per 10 s per address) is shared by all of them:
 * a form that answers "Too many attempts" is submitted again after the window.
 */
import type { Page } from "playwright-core";

/** The sign-in and sign-up forms submit in script: interact once the page has hydrated. */
export const HYDRATED = { waitUntil: "networkidle" } as const;

const RATE_LIMITED = /too many (attempts|requests)/i;
const WINDOW_MS = 11_000; // Better Auth's sign-in/sign-up window is 10 s

export interface AuthFormInput {
  /** The app's origin. */
  base: string;
  mode: "sign-in" | "sign-up";
  email: string;
  password: string;
  /** Sign-up only. */
  name?: string;
  /** Where the form sends the browser on success. Default `/dashboard`. */
  next?: string;
}

/** Opens the form, fills it, submits it (again when rate limited) and waits for `next`. */
export async function submitAuthForm(page: Page, input: AuthFormInput): Promise<void> {
  const next = input.next ?? "/dashboard";
  for (let attempt = 0; attempt < 4; attempt++) {
    await page.goto(`${input.base}/${input.mode}?next=${encodeURIComponent(next)}`, HYDRATED);
    if (input.mode === "sign-up") await page.getByLabel("Name", { exact: true }).fill(input.name ?? "Test User");
    await page.getByLabel("Email", { exact: true }).fill(input.email);
    await page.getByLabel("Password", { exact: true }).fill(input.password);
    await page.getByRole("button", { name: input.mode === "sign-up" ? "Create account" : "Sign in" }).click();
    const limited = page.getByRole("alert").filter({ hasText: RATE_LIMITED });
    const outcome = await Promise.race([
      page.waitForURL(`${input.base}${next}`).then(() => "done" as const),
      limited.waitFor().then(() => "limited" as const),
    ]);
    if (outcome === "done") return;
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  }
  throw new Error(`${input.mode} stayed rate limited`);
}

/** Submits the sign-in form expecting a refusal; returns the error it shows (never the rate-limit one). */
export async function refusedSignIn(page: Page, input: Omit<AuthFormInput, "mode" | "name">): Promise<string> {
  for (let attempt = 0; attempt < 4; attempt++) {
    await page.goto(`${input.base}/sign-in`, HYDRATED);
    await page.getByLabel("Email", { exact: true }).fill(input.email);
    await page.getByLabel("Password", { exact: true }).fill(input.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert").filter({ hasText: /\w/ }).first();
    await alert.waitFor();
    const text = (await alert.textContent()) ?? "";
    if (!RATE_LIMITED.test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  }
  throw new Error("sign-in stayed rate limited");
}
