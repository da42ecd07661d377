/**
 * Client-sent identity headers. The guard forwards no identity of its own:
 * handlers re-verify the token from the cookie or `Authorization: Bearer`
 * (`lib/session.ts`), which is cheaper than making Next re-send every request
 * header, and a handler that trusted a header would be one middleware bypass
 * (CVE-2025-29927) away from trusting a forgery. Any `x-auth-*` header and
 * Next's `x-middleware-subrequest` a client sends are still deleted on every
 * request, so no handler, proxy or log ever sees one.
 */

/** Prefix of the identity headers older versions of the kit set; never accepted from a client. */
export const IDENTITY_HEADER_PREFIX = "x-auth-";

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
  const reserved: string[] = [];
  for (const name of headers.keys()) if (isReserved(name)) reserved.push(name);
  if (reserved.length === 0) return undefined;
  const clean = new Headers(headers);
  for (const name of reserved) clean.delete(name);
  return clean;
}
