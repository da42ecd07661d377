/**
 * The development outbox: without `SMTP_URL`, outside production, each mail is
 * kept as an `.eml` file under the git-ignored `.data/outbox/` (open it with
 * any mail client) and its link is printed once, so a developer can follow
 * every flow with no mail server at all.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { DATA_DIR } from "../config";
import type { Mail } from "./compose";

/** Where development mails are kept. */
export const OUTBOX_DIR = path.join(DATA_DIR, "outbox");

/** Writes the rendered message to the outbox and prints its link once. Returns the file's path. */
export async function keepInOutbox(mail: Mail, raw: Buffer): Promise<string> {
  await mkdir(OUTBOX_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = path.join(OUTBOX_DIR, `${stamp}-${mail.kind}-${randomBytes(3).toString("hex")}.eml`);
  await writeFile(file, raw, { mode: 0o600 });
  const entry: OutboxEntry = {
    file: path.basename(file),
    to: mail.to,
    subject: mail.subject,
    link: mail.link,
    at: new Date().toISOString(),
  };
  await writeFile(file.replace(/\.eml$/, ".json"), JSON.stringify(entry), { mode: 0o600 });
  console.info(
    [
      "",
      `──── ✉ MAIL (development outbox, not sent) ── ${mail.subject} → ${mail.to}`,
      `     ${mail.link}`,
      `     kept in ${path.relative(process.cwd(), file)}`,
      "",
    ].join("\n"),
  );
  return file;
}

/** What the outbox knows about one mail (the `.json` beside each `.eml`). */
export interface OutboxEntry {
  /** The `.eml` file's name in {@link OUTBOX_DIR}. */
  file: string;
  to: string;
  subject: string;
  link: string;
  /** ISO time it was kept. */
  at: string;
}

/** The outbox, newest first (at most `limit`, default 50). Empty when there is none yet. */
export async function listOutbox(limit = 50): Promise<OutboxEntry[]> {
  const names = await readdir(OUTBOX_DIR).catch(() => [] as string[]);
  const json = names
    .filter((n) => n.endsWith(".json"))
    .sort()
    .reverse()
    .slice(0, limit);
  const entries = await Promise.all(
    json.map(async (name) => JSON.parse(await readFile(path.join(OUTBOX_DIR, name), "utf8")) as OutboxEntry),
  );
  return entries;
}
