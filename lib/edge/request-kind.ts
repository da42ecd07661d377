/**
 * Whether a request is a document navigation (answer with a redirect) or
 * anything a script made — fetch, RSC payload, prefetch, Server Action —
 * where a redirect would be swallowed, so the answer is 401 JSON.
 */

/** `document` for top-level page loads; `api` for everything else. */
export type RequestKind = "document" | "api";

/** Classifies a request by method, path and the headers browsers and Next send. */
export function requestKind(request: Request, pathname: string): RequestKind {
  const h = request.headers;
  if (request.method !== "GET" && request.method !== "HEAD") return "api";
  if (pathname === "/api" || pathname.startsWith("/api/")) return "api";
  if (h.has("rsc") || h.has("next-action") || h.has("next-router-prefetch") || h.get("purpose") === "prefetch") {
    return "api";
  }
  const dest = h.get("sec-fetch-dest");
  if (dest) return dest === "document" ? "document" : "api";
  // No fetch metadata (curl, old clients): trust Accept.
  const accept = h.get("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html") ? "api" : "document";
}
