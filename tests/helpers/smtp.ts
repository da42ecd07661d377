/**
 * A real SMTP server in the test process (`smtp-server`), plain SMTP on a free
 * 127.0.0.1 port with neither TLS nor authentication (the kit's contract for
 * `SMTP_URL`), and every message it accepts parsed with `mailparser`.
 *
 * @example
 * const smtp = await startSmtp();
 * process.env.SMTP_URL = smtp.url;
 * const mail = await smtp.waitForMail("ann@example.com");
 * const link = onlyLink(mail);
 */
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { freePort } from "./ports";

/** One message as it arrived. */
export interface ReceivedMail {
  /** Envelope recipients (lower-cased). */
  readonly to: readonly string[];
  /** Envelope sender. */
  readonly from: string;
  /** The `From:` header as written. */
  readonly fromHeader: string;
  readonly subject: string;
  readonly text: string;
  /** The HTML part, or "" when there is none. */
  readonly html: string;
  /** The whole message as received (RFC 822). */
  readonly raw: string;
}

export interface SmtpServer {
  /** `smtp://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Every message so far, oldest first. */
  messages(): readonly ReceivedMail[];
  /** The next message for `to` not yet handed out by this function (polls; default 30 s). */
  waitForMail(to: string, options?: { timeoutMs?: number }): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

/** Starts the server. The caller must `stop()` it (use `afterAll`). */
export async function startSmtp(): Promise<SmtpServer> {
  const received: ReceivedMail[] = [];
  const handedOut = new Set<ReceivedMail>();
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        try {
          const parsed = await simpleParser(raw);
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            fromHeader: parsed.from?.text ?? "",
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            raw,
          });
          callback();
        } catch (error) {
          callback(error as Error);
        }
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages: () => [...received],
    async waitForMail(to, options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 30_000);
      const wanted = to.toLowerCase();
      while (Date.now() < deadline) {
        const mail = received.find((m) => m.to.includes(wanted) && !handedOut.has(m));
        if (mail) {
          handedOut.add(mail);
          return mail;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no mail for ${to} within ${options.timeoutMs ?? 30_000} ms (got ${received.length} in all)`);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Every http(s) URL in a text, in order. */
export function linksIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0]);
}

/** The one link a mail's text part carries (throws unless there is exactly one). */
export function onlyLink(mail: ReceivedMail): string {
  const links = [...new Set(linksIn(mail.text))];
  if (links.length !== 1) throw new Error(`expected one link in the mail, found ${links.length}: ${links.join(" ")}`);
  return links[0] as string;
}
