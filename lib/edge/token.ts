/**
 * Finds the access JWT on a request: its cookie on pages; its cookie or
 * `Authorization: Bearer` on API requests. Ambiguity is refused, never
 * resolved by guessing: two different cookie values, or a cookie and a Bearer
 * token that disagree, count as a malformed token.
 */

/** Better Auth's session cookie names (plain and https). Presence only: the edge never reads the session. */
export const SESSION_COOKIES = ["better-auth.session_token", "__Secure-better-auth.session_token"] as const;

export type TokenLookup =
  | { readonly kind: "none" }
  | { readonly kind: "token"; readonly token: string }
  | { readonly kind: "ambiguous" };

/** Every value the `Cookie` header carries for `name` (browsers can send duplicates). */
export function cookieValues(cookieHeader: string | null, name: string): string[] {
  if (!cookieHeader) return [];
  const values: string[] = [];
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    values.push(part.slice(eq + 1).trim());
  }
  return values;
}

function bearer(authorization: string | null): string | null | undefined {
  if (authorization === null) return undefined;
  const match = /^Bearer ([^\s]+)$/i.exec(authorization.trim());
  return match?.[1] ?? null;
}

export interface FindTokenOptions {
  /** The access cookie's name. */
  cookieName: string;
  /** Whether `Authorization: Bearer` is accepted (API routes). */
  allowBearer: boolean;
}

/** Locates the access JWT on a request. */
export function findToken(headers: Headers, { cookieName, allowBearer }: FindTokenOptions): TokenLookup {
  const fromCookie = new Set(cookieValues(headers.get("cookie"), cookieName).filter(Boolean));
  if (fromCookie.size > 1) return { kind: "ambiguous" };
  const cookieToken = [...fromCookie][0];
  const bearerToken = allowBearer ? bearer(headers.get("authorization")) : undefined;
  if (bearerToken === null) return { kind: "ambiguous" }; // an Authorization header we can't read
  if (bearerToken && cookieToken && bearerToken !== cookieToken) return { kind: "ambiguous" };
  const token = bearerToken ?? cookieToken;
  return token ? { kind: "token", token } : { kind: "none" };
}

/** Whether the request carries a Better Auth session cookie (so a refresh may succeed). */
export function hasSessionCookie(headers: Headers): boolean {
  const cookie = headers.get("cookie");
  return SESSION_COOKIES.some((name) => cookieValues(cookie, name).some(Boolean));
}
