/**
 * Calls the real Better Auth handler in-process (no HTTP server), with a
 * cookie jar, as the browser would.
 */
import { CookieJar } from "./http";

export const BASE = "http://localhost:3000";

export interface AuthCaller {
  jar: CookieJar;
  call(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
}

export function authCaller(handler: (request: Request) => Promise<Response>): AuthCaller {
  const jar = new CookieJar();
  return {
    jar,
    async call(path, init = {}) {
      const headers: Record<string, string> = { origin: BASE, ...init.headers };
      if (jar.cookies.size > 0) headers.cookie = jar.header();
      if (init.body !== undefined) headers["content-type"] = "application/json";
      const response = await handler(
        new Request(`${BASE}/api/auth${path}`, {
          method: init.method ?? (init.body === undefined ? "GET" : "POST"),
          headers,
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
        }),
      );
      jar.store(response);
      return response;
    },
  };
}
