import type { NextConfig } from "next";
import { PHASE_PRODUCTION_BUILD } from "next/constants";
import { checkBuildConfigOrExit } from "./lib/config/startup";
import { contentSecurityPolicy, SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY } from "./lib/edge/security-headers";

/**
 * The security headers on everything Next serves (pages, route handlers,
 * static assets). HSTS when the app is served over https: the base URL known
 * at build, or the request's `X-Forwarded-Proto` from the TLS proxy.
 */
async function securityHeaders(): Promise<NonNullable<Awaited<ReturnType<NonNullable<NextConfig["headers"]>>>>> {
  const development = process.env.NODE_ENV === "development";
  const all = Object.entries({
    ...SECURITY_HEADERS,
    ...(development ? { "Content-Security-Policy": contentSecurityPolicy({ development }) } : {}),
  }).map(([key, value]) => ({ key, value }));
  const hsts = [{ key: "Strict-Transport-Security", value: STRICT_TRANSPORT_SECURITY }];
  const httpsBase = process.env.BETTER_AUTH_URL?.startsWith("https:") ?? false;
  return [
    { source: "/:path*", headers: httpsBase ? [...all, ...hsts] : all },
    { source: "/:path*", has: [{ type: "header", key: "x-forwarded-proto", value: "https" }], headers: hsts },
  ];
}

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ["@electric-sql/pglite"],
  poweredByHeader: false,
  headers: securityHeaders,
};

/** `next build` stops on a bad value it can already see, with the line `next start` would print. */
export default function config(phase: string): NextConfig {
  if (phase === PHASE_PRODUCTION_BUILD) checkBuildConfigOrExit();
  return nextConfig;
}
