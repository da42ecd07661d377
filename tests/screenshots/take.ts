/**
 * Takes the README's screenshots with Chromium against the built app
 * (`next build` first): the sign-in page and the account page of a user
 * signed in on two devices. `npm run screenshots` writes them next to this file.
 */
import path from "node:path";
import { launchBrowser } from "../helpers/browser";
import { startNext } from "../helpers/next-server";

/** The sign-in and sign-up forms submit in script: interact once the page has hydrated. */
const HYDRATED = { waitUntil: "networkidle" } as const;
const OUT = import.meta.dirname;
const PASSWORD = "correct-horse-1";
const PHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

async function main(): Promise<void> {
  const server = await startNext();
  const browser = await launchBrowser();
  try {
    const viewport = { width: 760, height: 560 };
    const laptop = await (await browser.newContext({ viewport })).newPage();
    await laptop.goto(`${server.url}/sign-in`, HYDRATED);
    await laptop.screenshot({ path: path.join(OUT, "sign-in.png") });

    const email = "ada@example.com";
    await laptop.goto(`${server.url}/sign-up?next=/account`, HYDRATED);
    await laptop.getByLabel("Name", { exact: true }).fill("Ada Lovelace");
    await laptop.getByLabel("Email", { exact: true }).fill(email);
    await laptop.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await laptop.getByRole("button", { name: "Create account" }).click();
    await laptop.waitForURL(`${server.url}/account`);

    const phone = await (await browser.newContext({ userAgent: PHONE_UA })).newPage();
    await phone.goto(`${server.url}/sign-in`, HYDRATED);
    await phone.getByLabel("Email", { exact: true }).fill(email);
    await phone.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await phone.getByRole("button", { name: "Sign in" }).click();
    await phone.waitForURL(`${server.url}/dashboard`);

    await laptop.reload();
    await laptop.screenshot({ path: path.join(OUT, "account.png"), fullPage: true });
    console.log(`Wrote ${path.join(OUT, "sign-in.png")} and ${path.join(OUT, "account.png")}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
