/**
 * How mail leaves this server, decided once from the configuration:
 * - `smtp`: `SMTP_URL` is set; every mail goes over it, in every mode;
 * - `outbox`: development (and tests) without `SMTP_URL`; each mail is kept in
 *   `.data/outbox/` and its link printed once;
 * - `off`: production without `SMTP_URL`; nothing is sent or logged, and the
 *   flows that need mail say so instead of pretending.
 *
 * No nodemailer import here, so the start-up check can use it cheaply.
 */
import type { ServerConfig } from "../config";
import { serverConfig } from "../config";

/** Where mail goes. */
export type MailMode = "smtp" | "outbox" | "off";

/** The mail mode for a configuration (default: the server's). */
export function mailMode(config: Pick<ServerConfig, "smtpUrl" | "mode"> = serverConfig()): MailMode {
  if (config.smtpUrl) return "smtp";
  return config.mode === "production" ? "off" : "outbox";
}

/** Whether mails can reach anyone (SMTP) or at least the developer (outbox). */
export function mailEnabled(config?: Pick<ServerConfig, "smtpUrl" | "mode">): boolean {
  return mailMode(config) !== "off";
}

/**
 * The one line the server prints at start about mail, or `undefined` when
 * there is nothing to say (SMTP configured). Never contains credentials.
 */
export function mailStartupLine(config: Pick<ServerConfig, "smtpUrl" | "mode"> = serverConfig()): string | undefined {
  switch (mailMode(config)) {
    case "off":
      return "[edge-guard] Mail is off (no SMTP_URL): password reset by mail and email verification are not offered";
    case "outbox":
      return "[edge-guard] No SMTP_URL: mails are kept in .data/outbox and their links printed here";
    default:
      return undefined;
  }
}
