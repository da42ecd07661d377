/**
 * Same-origin redirect targets. A `next` value is honoured only if it is a
 * plain absolute path on this origin: no scheme, no `//host`, no backslash
 * tricks, no control characters.
 */

function hasUnsafeCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x5c /* \\ */) return true;
  }
  return false;
}

/** Where a signed-in user goes when `next` is absent or unsafe. */
export const DEFAULT_AFTER_SIGN_IN = "/dashboard";

/**
 * Returns `value` if it is a safe same-origin path (with its query), else `fallback`.
 *
 * @example
 * safeNextPath("/dashboard?tab=1"); // "/dashboard?tab=1"
 * safeNextPath("//evil.example");   // "/dashboard"
 */
export function safeNextPath(value: string | null | undefined, fallback = DEFAULT_AFTER_SIGN_IN): string {
  if (!value || value.length > 2048) return fallback;
  // Control characters and backslashes are refused outright: browsers turn "\" into "/" ("/\evil.com").
  if (!value.startsWith("/") || value.startsWith("//") || hasUnsafeCharacter(value)) return fallback;
  try {
    const base = "http://same-origin.invalid";
    const url = new URL(value, base);
    if (url.origin !== base) return fallback;
    return `${url.pathname}${url.search}`;
  } catch {
    return fallback;
  }
}

/** `/sign-in?next=<path>` for the given same-origin path. */
export function signInPath(next: string): string {
  return `/sign-in?next=${encodeURIComponent(safeNextPath(next))}`;
}
