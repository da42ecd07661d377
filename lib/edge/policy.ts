/**
 * The route policy, in one place: which paths are public, which need a
 * signed-in user, which need a role. Paths are canonicalised before matching
 * (decoded, dot segments resolved, slashes collapsed, lower-cased, trailing
 * slash dropped), so `/Dashboard`, `//dashboard/`, `/./dashboard` and
 * `/dashboard%2Fx` all meet the same rule as `/dashboard`.
 */

/** What a route requires. */
export type Access = "public" | "signed-in" | { readonly role: string };

export interface RouteRule {
  /** A canonical path; a trailing `/**` also matches everything below it. */
  readonly path: string;
  readonly access: Access;
}

/** The kit's routes. First match wins; unmatched paths are public. */
export const ROUTES: readonly RouteRule[] = [
  // Better Auth (sign-in, sign-up, JWKS, token, refresh hop) must never be behind the guard.
  { path: "/api/auth/**", access: "public" },
  { path: "/dashboard/**", access: "signed-in" },
  { path: "/admin/**", access: { role: "admin" } },
  { path: "/api/me", access: "signed-in" },
  { path: "/api/backend/**", access: "signed-in" },
];

/** Paths where a signed-in user is sent on to `next` instead. */
export const SIGN_IN_PAGES: readonly string[] = ["/sign-in", "/sign-up"];

/**
 * Canonical form of a URL path, or `null` when it cannot be decoded (which the
 * guard treats as protected: refuse what you cannot read).
 */
export function canonicalPath(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const out: string[] = [];
  for (const segment of decoded.replace(/\\/g, "/").split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") out.pop();
    else out.push(segment.toLowerCase());
  }
  return `/${out.join("/")}`;
}

function matches(rule: string, path: string): boolean {
  if (rule.endsWith("/**")) {
    const base = rule.slice(0, -3);
    return path === base || path.startsWith(`${base}/`);
  }
  return path === rule;
}

/** The access the policy requires for a raw URL pathname. */
export function accessFor(pathname: string, routes: readonly RouteRule[] = ROUTES): Access {
  const path = canonicalPath(pathname);
  if (path === null) return "signed-in";
  return routes.find((rule) => matches(rule.path, path))?.access ?? "public";
}

/** Whether a raw pathname is one of the sign-in/sign-up pages. */
export function isSignInPage(pathname: string): boolean {
  const path = canonicalPath(pathname);
  return path !== null && SIGN_IN_PAGES.includes(path);
}
