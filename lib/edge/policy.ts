/**
 * The route policy, in one place: which paths are public, which need a
 * signed-in user, which need a role. Paths are canonicalised before matching
 * (decoded per segment, slashes collapsed, `;params` dropped, lower-cased,
 * trailing slash dropped), so `/Dashboard`, `//dashboard/`, `/./dashboard`,
 * `/dashboard;x` and `/dashboard%2Fx` all meet the same rule as `/dashboard`.
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
  { path: "/account/**", access: "signed-in" },
  { path: "/admin/**", access: { role: "admin" } },
  { path: "/api/me", access: "signed-in" },
  { path: "/api/backend/**", access: "signed-in" },
];

/** Paths where a signed-in user is sent on to `next` instead. */
export const SIGN_IN_PAGES: readonly string[] = ["/sign-in", "/sign-up"];

/**
 * Whether every percent-escape in the path decodes. Next answers a broken
 * escape in a dynamic segment with a 500, so the guard refuses it first (400).
 */
export function isWellFormedPath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // undecodable stays as sent (lower-cased below), so it still meets its prefix's rule
  }
}

/**
 * The canonical forms of a URL path: dot segments resolved, and kept literal.
 * Routers disagree on whether a decoded `..` (from `%2F..`) climbs, so the
 * guard matches both and applies the stricter rule.
 */
export function canonicalPaths(pathname: string): [resolved: string, literal: string] {
  const parts: string[] = [];
  for (const raw of pathname.split("/")) parts.push(...decodeSegment(raw).split(/[\\/]/));
  const resolved: string[] = [];
  const literal: string[] = [];
  for (const part of parts) {
    // Matrix parameters (`/dashboard;jsessionid=x`) are ignored by some routers and proxies: match without them.
    const segment = (part.split(";", 1)[0] ?? "").toLowerCase();
    if (segment === "" || segment === ".") continue;
    literal.push(segment);
    if (segment === "..") resolved.pop();
    else resolved.push(segment);
  }
  return [`/${resolved.join("/")}`, `/${literal.join("/")}`];
}

function matches(rule: string, path: string): boolean {
  if (rule.endsWith("/**")) {
    const base = rule.slice(0, -3);
    return path === base || path.startsWith(`${base}/`);
  }
  return path === rule;
}

function strictness(access: Access): number {
  return access === "public" ? 0 : access === "signed-in" ? 1 : 2;
}

/**
 * What a raw URL pathname is, canonicalised once: the access it requires (the
 * strictest over its canonical forms) and whether it is a sign-in/sign-up page.
 */
export function routeOf(
  pathname: string,
  routes: readonly RouteRule[] = ROUTES,
): { access: Access; signInPage: boolean } {
  const paths = canonicalPaths(pathname);
  let access: Access = "public";
  for (const path of paths) {
    const rule = routes.find((candidate) => matches(candidate.path, path))?.access ?? "public";
    if (strictness(rule) > strictness(access)) access = rule;
  }
  return { access, signInPage: SIGN_IN_PAGES.includes(paths[0]) };
}

/** The access the policy requires for a raw URL pathname. */
export function accessFor(pathname: string, routes: readonly RouteRule[] = ROUTES): Access {
  return routeOf(pathname, routes).access;
}

/** Whether a raw pathname is one of the sign-in/sign-up pages. */
export function isSignInPage(pathname: string): boolean {
  return routeOf(pathname).signInPage;
}
