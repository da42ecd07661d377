/**
 * The signed-in user's devices: every live Better Auth session (the
 * `/list-sessions` endpoint) as a person reads it, with browser and OS parsed
 * from the user agent (`./user-agent.ts`). Session tokens never leave the server: the page gets
 * session ids, and revoking looks the token up again (Node only).
 */
import "server-only";
import { auth, ensureReady } from "../auth";
import { describeUserAgent } from "./user-agent";

/** One signed-in device, safe to hand to the browser (no token). */
export interface Device {
  /** The session's id (not its token). */
  readonly id: string;
  /** "Chrome 131" (see `describeUserAgent`). */
  readonly browser: string;
  /** "macOS", "Android 14" (see `describeUserAgent`). */
  readonly os: string;
  /** The address the session was created from, as Better Auth recorded it; `null` when unknown. */
  readonly ip: string | null;
  /** When the device signed in (ISO 8601). */
  readonly signedInAt: string;
  /** When the device last renewed its access token, to within a token lifetime (ISO 8601). */
  readonly lastActiveAt: string;
  /** The device making this request. */
  readonly current: boolean;
}

interface SessionRow {
  id: string;
  token: string;
  userAgent?: string | null;
  ipAddress?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

async function sessionsOf(headers: Headers): Promise<{ rows: SessionRow[]; currentId: string | undefined }> {
  await ensureReady();
  const [rows, current] = await Promise.all([auth.api.listSessions({ headers }), auth.api.getSession({ headers })]);
  return { rows: rows as SessionRow[], currentId: current?.session.id };
}

/** The request's user's live sessions, the current one first, then the most recently active. */
export async function listDevices(headers: Headers): Promise<Device[]> {
  const { rows, currentId } = await sessionsOf(headers);
  return rows
    .map((row) => ({
      id: row.id,
      ...describeUserAgent(row.userAgent),
      ip: row.ipAddress || null,
      signedInAt: new Date(row.createdAt).toISOString(),
      lastActiveAt: new Date(row.updatedAt).toISOString(),
      current: row.id === currentId,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastActiveAt.localeCompare(a.lastActiveAt));
}

/**
 * Signs one of the user's other devices out (`/revoke-session` with that
 * session's token). Returns false when no such session of this user is live,
 * or when it is this device's own (that is a sign-out, which clears its cookies).
 */
export async function revokeDevice(headers: Headers, id: string): Promise<boolean> {
  const { rows, currentId } = await sessionsOf(headers);
  const row = rows.find((r) => r.id === id);
  if (!row || row.id === currentId) return false;
  await auth.api.revokeSession({ headers, body: { token: row.token } });
  return true;
}

/** Signs every other device out (`/revoke-other-sessions`); this one stays signed in. */
export async function revokeOtherDevices(headers: Headers): Promise<void> {
  await ensureReady();
  await auth.api.revokeOtherSessions({ headers });
}
