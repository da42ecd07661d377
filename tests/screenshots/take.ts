/**
 * Takes the README's screenshots with Chromium against the built app
 * (`next build` first): the sign-in page and the account page of a user
 * signed in on two devices. `npm run screenshots` writes them next to this file.
 */
import path from "node:path";
import { HYDRATED, submitAuthForm } from "../helpers/auth-ui";
import { launchBrowser } from "../helpers/browser";
import { startNext } from "../helpers/next-server";

const OUT = import.meta.dirname;
const PASSWORD = "correct-horse-1";
const PHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

async function main(): Promise<void> {
  const server = await startNext();
  const browser = await launchBrowser();
  try {
    const viewport = { width: 760, height: 560 };
    const laptopContext = await browser.newContext({ viewport });
    laptopContext.setDefaultTimeout(90_000);
    const laptop = await laptopContext.newPage();
    await laptop.goto(`${server.url}/sign-in`, HYDRATED);
    await laptop.screenshot({ path: path.join(OUT, "sign-in.png") });

    const email = "ada@example.com";
    const user = { base: server.url, email, password: PASSWORD };
    await submitAuthForm(laptop, { ...user, mode: "sign-up", name: "Ada Lovelace", next: "/account" });

    const phoneContext = await browser.newContext({ userAgent: PHONE_UA });
    phoneContext.setDefaultTimeout(90_000);
    await submitAuthForm(await phoneContext.newPage(), { ...user, mode: "sign-in" });

    await laptop.reload();
    await laptop.screenshot({ path: path.join(OUT, "account.png"), fullPage: true });
    console.log(`Wrote ${path.join(OUT, "sign-in.png")} and ${path.join(OUT, "account.png")}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
