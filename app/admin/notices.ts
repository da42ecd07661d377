/**
 * The fixed outcomes the admin actions report (as `?notice=` on the
 * redirect back), and the ban durations the form offers. A fixed list: the
 * page never echoes text from the URL.
 */

/** Ban lengths offered; "" (no expiry) means until unbanned. */
export const BAN_DURATIONS = [
  { seconds: 3600, label: "1 hour" },
  { seconds: 86_400, label: "1 day" },
  { seconds: 604_800, label: "7 days" },
  { seconds: 2_592_000, label: "30 days" },
] as const;

const NOTICES = {
  banned: { ok: true, text: "User banned: their sessions are revoked and sign-in is refused." },
  unbanned: { ok: true, text: "Ban lifted: the user can sign in again." },
  revoked: { ok: true, text: "Every session of the user is revoked." },
  role_set: { ok: true, text: "Role saved: the user's token carries it from their next refresh." },
  forbidden: { ok: false, text: "Only admins can do that." },
  not_found: { ok: false, text: "No such user." },
  cannot_ban_self: { ok: false, text: "You cannot ban yourself." },
  invalid: { ok: false, text: "That request was not understood." },
  unavailable: { ok: false, text: "The account database is unavailable; try again shortly." },
} as const;

/** An outcome code. */
export type Notice = keyof typeof NOTICES;

/** The message for `?notice=`, or nothing for an unknown value. */
export function noticeText(code: string | undefined): { ok: boolean; text: string } | undefined {
  return code && Object.hasOwn(NOTICES, code) ? NOTICES[code as Notice] : undefined;
}
