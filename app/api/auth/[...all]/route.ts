import { toNextJsHandler } from "better-auth/next-js";
import { auth, ensureReady } from "@/lib/auth";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handlers = toNextJsHandler(async (request: Request) => {
  await ensureReady();
  return auth.handler(request);
});

export const { GET, POST } = handlers;
