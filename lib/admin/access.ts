/**
 * Who may use the admin page and its actions. Two checks, each enough alone:
 * the access JWT's `role` claim (`requireRole`, the same verifier the guard's
 * `/admin/**` rule uses, so skipping the middleware grants nothing), then
 * every read and write goes through Better Auth's admin endpoints, which
 * re-read the session and its user's role from the database: an admin
 * demoted a minute ago still holds a JWT saying `admin` until it expires,
 * but gets nothing from those endpoints.
 */
import "server-only";
import { AuthError, requireRole, type SessionUser } from "@/lib/session";
import { ADMIN_ROLE } from "./plugin";

/** The admin, or why not: `forbidden` (another role), `signed_out`, `unavailable` (keys or database). */
export type AdminAccess =
  | { readonly ok: true; readonly user: SessionUser }
  | { readonly ok: false; readonly reason: "forbidden" | "signed_out" | "unavailable" };

function refusal(error: AuthError): AdminAccess {
  if (error.status === 403) return { ok: false, reason: "forbidden" };
  return { ok: false, reason: error.status === 503 ? "unavailable" : "signed_out" };
}

/**
 * For the page: a signed-out visitor is redirected (sign-in or the refresh
 * hop, as every page), a signed-in non-admin gets `forbidden`.
 */
export async function adminForPage(path: string): Promise<AdminAccess> {
  try {
    return { ok: true, user: await requireRole(ADMIN_ROLE, { redirectTo: path }) };
  } catch (error) {
    if (error instanceof AuthError) return refusal(error);
    throw error; // Next's redirect
  }
}

/** For Server Actions (public POST endpoints): never redirects, never throws an `AuthError`. */
export async function adminForAction(): Promise<AdminAccess> {
  try {
    return { ok: true, user: await requireRole(ADMIN_ROLE) };
  } catch (error) {
    if (error instanceof AuthError) return refusal(error);
    throw error;
  }
}
