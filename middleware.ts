/**
 * Runs on the Edge runtime before every route except static assets: strips
 * client-sent identity headers everywhere and guards protected routes.
 * All decisions live in `lib/edge/guard.ts` (route policy in `lib/edge/policy.ts`).
 */
import type { NextRequest } from "next/server";
import { guard } from "./lib/edge/guard";

export function middleware(request: NextRequest) {
  return guard(request);
}

export const config = {
  // Everything but Next's build assets: a file-extension exclusion would let `/dashboard/x.png` skip the guard.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
