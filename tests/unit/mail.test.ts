/**
 * The mail pieces without a network: what a mail says (`compose`), where its
 * link points (`links`), how mail leaves in each mode (`mode`), and the
 * development outbox (a real `.eml` through nodemailer's stream transport,
 * read back with mailparser), in a temporary folder.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetPasswordLink, verifyEmailLink } from "@/lib/accounts/links";
import { composeMail } from "@/lib/mail/compose";
import { mailMode, mailStartupLine } from "@/lib/mail/mode";

const BASE = "https://app.example.com";

describe("composeMail", () => {
  it("writes a text and an HTML part with the app's name and the one link, escaped in HTML", () => {
    const link = `${BASE}/reset-password?token=abc&x=<y>`;
    const mail = composeMail({ kind: "reset-password", to: "ann@example.com", link, expiresIn: "1 hour" });
    expect(mail.subject).toBe("Reset your password · edge-guard");
    expect(mail.text).toContain("edge-guard");
    expect(mail.text).toContain(link);
    expect(mail.text).toContain("1 hour");
    expect(mail.html).toContain('href="https://app.example.com/reset-password?token=abc&#38;x=&#60;y&#62;"');
    expect(mail.html).not.toContain("<y>");
    expect(mail.html.match(/href=/g)).toHaveLength(1);
  });
});

describe("links", () => {
  it("builds the reset link on the base URL", () => {
    expect(resetPasswordLink(BASE, "t0k/en")).toBe(`${BASE}/reset-password?token=t0k%2Fen`);
  });

  const cases: ReadonlyArray<[given: string, callback: string]> = [
    ["http://attacker.example/api/auth/verify-email?token=T&callbackURL=%2Faccount", "/account"],
    [`${BASE}/api/auth/verify-email?token=T&callbackURL=%2F`, "/dashboard"],
    [`${BASE}/api/auth/verify-email?token=T`, "/dashboard"],
    [`${BASE}/api/auth/verify-email?token=T&callbackURL=%2F%2Fevil.example`, "/dashboard"],
    [`${BASE}/api/auth/verify-email?token=T&callbackURL=https%3A%2F%2Fevil.example%2F`, "/dashboard"],
    [`${BASE}/api/auth/verify-email?token=T&callbackURL=${encodeURIComponent(`${BASE}/account?x=1`)}`, "/account?x=1"],
  ];
  it.each(cases)("re-roots %s on the base URL with callback %s", (given, callback) => {
    const url = new URL(verifyEmailLink(BASE, given));
    expect(url.origin).toBe(BASE);
    expect(url.pathname).toBe("/api/auth/verify-email");
    expect(url.searchParams.get("token")).toBe("T");
    expect(url.searchParams.get("callbackURL")).toBe(callback);
  });
});

describe("mail mode", () => {
  const smtpUrl = new URL("smtp://127.0.0.1:2525");
  it.each([
    ["production", smtpUrl, "smtp", undefined],
    ["development", smtpUrl, "smtp", undefined],
    ["development", undefined, "outbox", /\.data\/outbox/],
    ["test", undefined, "outbox", /\.data\/outbox/],
    ["production", undefined, "off", /Mail is off/],
  ] as const)("%s with SMTP_URL=%s sends by %s", (mode, url, expected, line) => {
    const config = { mode, smtpUrl: url };
    expect(mailMode(config)).toBe(expected);
    const printed = mailStartupLine(config);
    if (line) expect(printed).toMatch(line);
    else expect(printed).toBeUndefined();
  });
});

describe("development outbox", () => {
  let dir: string;
  const cwd = process.cwd();
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "eg-outbox-"));
    process.chdir(dir); // `.data/` is resolved from the working directory when the config loads
    delete process.env.SMTP_URL;
    vi.resetModules();
  });
  afterAll(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps each mail as an .eml under .data/outbox, lists it, and prints its link once", async () => {
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    const { sendMail } = await import("@/lib/mail");
    const link = "http://localhost:3000/reset-password?token=dev-token";
    const mail = composeMail({ kind: "reset-password", to: "dev@example.com", link, expiresIn: "1 hour" });
    expect(await sendMail(mail)).toBe("outbox");
    const printed = info.mock.calls.map((c) => String(c[0])).filter((l) => l.includes(link));
    info.mockRestore();
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain("MAIL (development outbox");
    const files = readdirSync(path.join(dir, ".data/outbox")).filter((f) => f.endsWith(".eml"));
    expect(files).toHaveLength(1);
    const { listOutbox } = await import("@/lib/mail/outbox");
    expect(await listOutbox()).toEqual([
      { file: files[0], to: "dev@example.com", subject: mail.subject, link, at: expect.any(String) },
    ]);
    const parsed = await simpleParser(readFileSync(path.join(dir, ".data/outbox", files[0] as string)));
    expect(parsed.to && "text" in parsed.to ? parsed.to.text : "").toBe("dev@example.com");
    expect(parsed.subject).toBe(mail.subject);
    expect(parsed.text).toContain(link);
    expect(parsed.html).toContain(`href="${link}"`);
  });
});
