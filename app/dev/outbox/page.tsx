import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { serverConfig } from "@/lib/config";
import { mailMode } from "@/lib/mail/mode";
import { listOutbox, OUTBOX_DIR } from "@/lib/mail/outbox";

export const metadata: Metadata = { title: "Development outbox · edge-guard" };
export const dynamic = "force-dynamic";

/**
 * Development only (`npm run dev` without `SMTP_URL`): the mails the kit would
 * have sent, newest first, with their links. Anywhere else: 404.
 */
export default async function OutboxPage() {
  if (serverConfig().mode !== "development" || mailMode() !== "outbox") notFound();
  const mails = await listOutbox();
  return (
    <>
      <h1>Development outbox</h1>
      <p>
        Without <code>SMTP_URL</code>, mails are kept in <code>{OUTBOX_DIR}</code> instead of being sent. Newest first.
      </p>
      {mails.length === 0 ? (
        <p>No mail yet. Ask for a password reset to see one.</p>
      ) : (
        <ul>
          {mails.map((mail) => (
            <li key={mail.file}>
              <time dateTime={mail.at}>{mail.at}</time> · {mail.subject} → {mail.to} ·{" "}
              <a href={mail.link}>open the link</a>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
