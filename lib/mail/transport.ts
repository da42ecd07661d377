/**
 * The nodemailer transports: SMTP from `SMTP_URL` (a plain `smtp://host:port`
 * without TLS or credentials works; `smtps://` is TLS from the first byte,
 * `smtp://` upgrades with STARTTLS when the server offers it), and a stream
 * transport that renders the same message to RFC 822 bytes for the outbox.
 */
import type { Transporter } from "nodemailer";
import nodemailer from "nodemailer";

let smtp: { url: string; transport: Transporter } | undefined;
let stream: Transporter | undefined;

/** One SMTP transport per process (per URL). */
export function smtpTransport(url: URL): Transporter {
  if (smtp?.url !== url.href) {
    smtp = {
      url: url.href,
      transport: nodemailer.createTransport({
        url: url.href,
        // A dead mail server must not hold a request (or a background task) for minutes.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      }),
    };
  }
  return smtp.transport;
}

/** Renders messages to bytes (`info.message` is a Buffer) instead of sending them. */
export function streamTransport(): Transporter {
  stream ??= nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return stream;
}
