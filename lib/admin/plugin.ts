/**
 * Better Auth's `admin` plugin, configured for the kit. It owns the user's
 * `role` column (and adds `banned`, `banReason`, `banExpires`, and
 * `impersonatedBy` on sessions); `lib/auth.ts`'s `AUTH_ADMIN_EMAILS` hook
 * still decides the role at sign-up (plugin hooks run before the app's, so
 * the app's choice wins), and the JWT's `role` claim reads the same column.
 *
 * What the plugin enforces, with nothing added here:
 * - `/api/auth/admin/*` re-reads the caller's session from the database
 *   (never a cookie cache) and answers 401 without one, 403 unless its role
 *   is in `adminRoles`;
 * - a banned user cannot get a session (`session.create.before` → 403
 *   `BANNED_USER`), and a ban deletes every session the user had, so the
 *   refresh hop stops issuing JWTs at once; a ban past `banExpires` lifts
 *   itself at the next sign-in.
 */
import { admin } from "better-auth/plugins";

/** The role that reaches `/admin/**` (the guard's rule in `lib/edge/policy.ts`) and the admin endpoints. */
export const ADMIN_ROLE = "admin";

/** The roles the admin page offers; one role per user, so the JWT claim is a plain string. */
export const ROLES = ["user", ADMIN_ROLE] as const;

/** The `admin` plugin as the kit uses it. */
export function adminPlugin() {
  return admin({
    defaultRole: "user",
    adminRoles: [ADMIN_ROLE],
    // Shown only after the password was right, so it reveals nothing to someone guessing accounts.
    bannedUserMessage: "This account is suspended. Contact the administrator if you think this is a mistake.",
  });
}
