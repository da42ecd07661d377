/**
 * The kit's mails: one plain-text and one HTML part, the app's name, and the
 * one link that finishes the flow. Pure functions: no transport, no config.
 */

/** The name shown in every mail (also Better Auth's `appName`). */
export const APP_NAME = "edge-guard";

/** Which flow a mail belongs to. */
export type MailKind = "reset-password" | "verify-email" | "change-email";

/** A mail ready to send. */
export interface Mail {
  readonly kind: MailKind;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The link inside (for the development outbox; never logged in production). */
  readonly link: string;
}

export interface ComposeOptions {
  kind: MailKind;
  to: string;
  /** An absolute, same-origin URL built from `BETTER_AUTH_URL`. */
  link: string;
  /** How long the link works, in words ("1 hour"). */
  expiresIn: string;
  /** Default {@link APP_NAME}. */
  appName?: string;
}

const COPY: Record<MailKind, { subject: string; intro: string; action: string; ignore: string }> = {
  "reset-password": {
    subject: "Reset your password",
    intro: "Someone (hopefully you) asked to reset the password of your account.",
    action: "Choose a new password",
    ignore: "If you did not ask for this, ignore this mail: your password stays as it is.",
  },
  "verify-email": {
    subject: "Confirm your email address",
    intro: "Confirm this email address to finish setting up your account.",
    action: "Confirm my email address",
    ignore: "If you did not create an account, ignore this mail.",
  },
  "change-email": {
    subject: "Confirm your new email address",
    intro: "Your account asked to use this address from now on.",
    action: "Use this email address",
    ignore: "If you did not ask for this, ignore this mail: nothing changes.",
  },
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Builds a mail.
 *
 * @example
 * composeMail({ kind: "reset-password", to: "ann@example.com", link, expiresIn: "1 hour" });
 */
export function composeMail(options: ComposeOptions): Mail {
  const app = options.appName ?? APP_NAME;
  const copy = COPY[options.kind];
  // Only a reset link is spent when used; a confirmation link can be followed again, harmlessly.
  const expiry = `The link ${options.kind === "reset-password" ? "works once and " : ""}expires in ${options.expiresIn}.`;
  const text = [
    `${app}: ${copy.subject.toLowerCase()}`,
    "",
    copy.intro,
    "",
    `${copy.action}:`,
    options.link,
    "",
    expiry,
    copy.ignore,
    "",
  ].join("\n");
  const link = escapeHtml(options.link);
  const html = `<!doctype html>
<html lang="en"><body style="font-family:system-ui,sans-serif;line-height:1.5">
<h1 style="font-size:1.25rem">${escapeHtml(app)}: ${escapeHtml(copy.subject.toLowerCase())}</h1>
<p>${escapeHtml(copy.intro)}</p>
<p><a href="${link}">${escapeHtml(copy.action)}</a></p>
<p>${escapeHtml(expiry)} ${escapeHtml(copy.ignore)}</p>
</body></html>
`;
  return { kind: options.kind, to: options.to, subject: `${copy.subject} · ${app}`, text, html, link: options.link };
}
