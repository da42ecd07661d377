/**
 * The one mail sender (Node only). Every mail of the kit goes through
 * {@link sendMail}: over SMTP when `SMTP_URL` is set (in every mode), into the
 * development outbox otherwise, or nowhere in production without `SMTP_URL`
 * (mail is off: announced once at start, nothing logged per mail).
 *
 * Links and tokens are never logged in production; a failed delivery logs the
 * flow and the error only.
 */
import { after } from "next/server";
import { serverConfig } from "../config";
import type { Mail } from "./compose";
import { mailMode } from "./mode";
import { keepInOutbox } from "./outbox";
import { smtpTransport, streamTransport } from "./transport";

export type { Mail, MailKind } from "./compose";
export { APP_NAME, composeMail } from "./compose";
export type { MailMode } from "./mode";
export { mailEnabled, mailMode, mailStartupLine } from "./mode";

/** What happened to a mail. */
export type MailOutcome = "sent" | "outbox" | "dropped";

/** Delivers one mail now; rejects when the SMTP server refuses or cannot be reached. */
export async function sendMail(mail: Mail): Promise<MailOutcome> {
  const config = serverConfig();
  const mode = mailMode(config);
  if (mode === "off") return "dropped";
  const message = { from: config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html };
  if (mode === "smtp" && config.smtpUrl) {
    await smtpTransport(config.smtpUrl).sendMail(message);
    return "sent";
  }
  const info = await streamTransport().sendMail(message);
  await keepInOutbox(mail, info.message as Buffer);
  return "outbox";
}

const pending = new Set<Promise<unknown>>();

/**
 * Sends a mail after the response, so the answer's status, body and timing
 * are the same whether or not a mail was due (no account enumeration through
 * a slow SMTP server). Inside a Next request it uses `after()` (kept alive on
 * serverless hosts); elsewhere (tests, scripts) a tracked promise.
 */
export function sendMailInBackground(mail: Mail): void {
  const task = async () => {
    try {
      await sendMail(mail);
    } catch (error) {
      const reason = error instanceof Error ? ((error as { code?: string }).code ?? error.message) : String(error);
      console.error(`[edge-guard] mail not sent (${mail.kind}): ${reason}`);
    }
  };
  try {
    after(task);
  } catch {
    // Outside a request scope (`after` throws there): run it detached, but keep a handle for `mailSettled()`.
    const promise = task().finally(() => pending.delete(promise));
    pending.add(promise);
  }
}

/** Resolves once every background mail started outside a request has been handled (for tests and scripts). */
export async function mailSettled(): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
}
