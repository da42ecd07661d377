/**
 * Runs on the Edge runtime before every route except static assets: strips
 * client-sent identity headers everywhere and guards protected routes.
 * All decisions live in `lib/edge/guard.ts` (route policy in `lib/edge/policy.ts`).
 */
import type { NextFetchEvent, NextRequest } from "next/server";
import { guard } from "./lib/edge/guard";

export function middleware(request: NextRequest, event: NextFetchEvent) {
  // waitUntil: a background refresh of the revocation feed outlives the response.
  return guard(request, { waitUntil: (promise) => event.waitUntil(promise) });
}

export const config = {
  // Everything but Next's build assets: a file-extension exclusion would let `/dashboard/x.png` skip the guard.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
