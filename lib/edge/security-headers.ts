/**
 * The security headers of every response the app serves, defined once.
 * `next.config.ts` sends them on pages and route handlers; the guard's own
 * answers (redirects, 400/401/403/503), which Next's config headers do not
 * reach, get them from `withSecurityHeaders` in `responses.ts`.
 *
 * The CSP allows inline scripts without a nonce: Next's App Router streams
 * its page data as inline `<script>` tags, and a nonce would force every page
 * to render per request and the guard to rewrite request headers on every
 * page (measured in the README, "Production posture"). Everything else is
 * pinned to the app's own origin; no plugin, no framing, no `<base>`.
 */
import { edgeConfig } from "./config";
import { HTML_PAGE_STYLE_HASH } from "./html-page";

/**
 * The `Content-Security-Policy`; `development` adds what `next dev` needs
 * (`'unsafe-eval'` for React's dev tooling, `ws:` for hot reload, inline
 * styles for the dev overlay).
 */
export function contentSecurityPolicy({ development = false }: { development?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${development ? " 'unsafe-eval'" : ""}`,
    // The guard's and the refresh hop's own HTML pages carry one inline style, allowed by its hash.
    `style-src 'self' ${development ? "'unsafe-inline'" : HTML_PAGE_STYLE_HASH}`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${development ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The `Content-Security-Policy` of every production response. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** `Strict-Transport-Security` on https: two years, subdomains included. */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/** Headers sent on every response, http or https. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  "Cross-Origin-Opener-Policy": "same-origin",
};

/**
 * Sets the security headers on `response` (HSTS when `https`, by default when
 * the app's base URL is https); returns it.
 */
export function withSecurityHeaders<T extends Response>(response: T, https = edgeConfig().secureCookies): T {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  if (https) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return response;
}
