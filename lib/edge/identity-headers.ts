/**
 * The request headers a handler receives from the guard. Every incoming
 * header with the `x-auth-` prefix is deleted first, on every request, so a
 * client can never supply them; then the verified claims are written.
 * Values are percent-encoded (names and emails may hold non-ASCII).
 */
import type { AccessClaims } from "./verify";

export const IDENTITY_HEADER_PREFIX = "x-auth-";
export const USER_ID_HEADER = "x-auth-user-id";
export const USER_EMAIL_HEADER = "x-auth-user-email";
export const USER_NAME_HEADER = "x-auth-user-name";
export const USER_ROLE_HEADER = "x-auth-user-role";
/** The verified access JWT itself, for handlers that call other services. */
export const TOKEN_HEADER = "x-auth-token";

/** Headers a client must never be able to set or that Next reserves for itself. */
const INTERNAL_HEADERS = ["x-middleware-subrequest"];

function isReserved(name: string): boolean {
  return name.startsWith(IDENTITY_HEADER_PREFIX) || INTERNAL_HEADERS.includes(name);
}

/**
 * A copy of `headers` without any client-sent identity or internal header, or
 * `undefined` when there is none to remove: forwarding overridden headers costs
 * Next a copy of every header, so the common case skips it.
 */
export function stripIdentityHeaders(headers: Headers): Headers | undefined {
  const reserved = [...headers.keys()].filter(isReserved);
  if (reserved.length === 0) return undefined;
  const clean = new Headers(headers);
  for (const name of reserved) clean.delete(name);
  return clean;
}

/** Writes the verified identity (and the token) onto already-stripped headers. */
export function setIdentityHeaders(headers: Headers, claims: AccessClaims, token: string): void {
  headers.set(USER_ID_HEADER, encodeURIComponent(claims.id));
  headers.set(USER_EMAIL_HEADER, encodeURIComponent(claims.email));
  headers.set(USER_NAME_HEADER, encodeURIComponent(claims.name));
  headers.set(USER_ROLE_HEADER, encodeURIComponent(claims.role));
  headers.set(TOKEN_HEADER, token);
}
