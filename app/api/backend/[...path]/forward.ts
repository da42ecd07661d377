/**
 * What the backend proxy passes on, and what it never does: the path is
 * checked segment by segment so it cannot climb out of `BACKEND_URL`;
 * request headers are an allow-list (no cookies, no hop-by-hop, no identity
 * or framework headers); response headers lose hop-by-hop fields and
 * `Set-Cookie` (a backend must not write cookies on the app's origin).
 */

/** Request headers passed to the backend as they are. */
const FORWARDED = new Set([
  "accept",
  "accept-language",
  "cache-control",
  "content-language",
  "content-type",
  "if-match",
  "if-modified-since",
  "if-none-match",
  "if-range",
  "if-unmodified-since",
  "idempotency-key",
  "pragma",
  "range",
  "user-agent",
]);

/** `x-` prefixes that carry identity or framework state: never forwarded, whatever the client sent. */
const RESERVED_X_PREFIXES = [
  "x-auth-",
  "x-middleware-",
  "x-forwarded-",
  "x-real-ip",
  "x-next",
  "x-invoke-",
  "x-action",
  "x-matched-path",
  "x-vercel-",
  "x-now-",
];

/** Hop-by-hop headers (RFC 9110 §7.6.1) plus the ones a re-encoding proxy must recompute. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** Headers the client may send on to the backend; `authorization` is set by the proxy alone. */
export function forwardRequestHeaders(incoming: Headers): Headers {
  const out = new Headers();
  const named = new Set((incoming.get("connection") ?? "").toLowerCase().split(/\s*,\s*/));
  for (const [name, value] of incoming) {
    if (named.has(name) || HOP_BY_HOP.has(name)) continue;
    const custom = name.startsWith("x-") && !RESERVED_X_PREFIXES.some((prefix) => name.startsWith(prefix));
    if (FORWARDED.has(name) || custom) out.set(name, value);
  }
  return out;
}

/** The backend's response headers, minus hop-by-hop fields, cookies, and encodings `fetch` already undid. */
export function forwardResponseHeaders(upstream: Headers): Headers {
  const out = new Headers();
  const named = new Set((upstream.get("connection") ?? "").toLowerCase().split(/\s*,\s*/));
  for (const [name, value] of upstream) {
    if (named.has(name) || HOP_BY_HOP.has(name) || name === "set-cookie") continue;
    // fetch decompressed the body: the original encoding and length no longer describe it.
    if (name === "content-encoding" || name === "content-length") continue;
    out.set(name, value);
  }
  const cacheControl = out.get("cache-control") ?? "";
  // Every answer here depends on who asked: no shared cache may keep it.
  if (!/\b(private|no-store)\b/i.test(cacheControl)) out.set("cache-control", "private, no-store");
  return out;
}

/**
 * The backend path (with query) for a proxy URL, or `null` when a segment
 * would escape the base: `.`/`..` (also percent-encoded), an encoded `/` or
 * `\`, an empty segment, or a bad escape.
 *
 * @example
 * backendPath(new URL("http://app/api/backend/users/42/notes?x=1"), "/api/backend"); // "/users/42/notes?x=1"
 */
export function backendPath(url: URL, prefix: string): string | null {
  if (!url.pathname.startsWith(`${prefix}/`)) return null;
  const rest = url.pathname.slice(prefix.length);
  const segments = rest.slice(1).split("/");
  for (const [index, segment] of segments.entries()) {
    if (segment === "" && index === segments.length - 1 && index > 0) continue; // trailing slash
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return null;
    }
    if (decoded === "" || decoded === "." || decoded === ".." || /[/\\]/.test(decoded)) return null;
  }
  return `${rest}${url.search}`;
}

/** Thrown when a request body exceeds the proxy's limit. */
export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
}

/**
 * The request body, buffered (so a retry after a token refresh can resend
 * it), or `undefined` when there is none. Throws `BodyTooLargeError` past `limit` bytes.
 */
export async function bufferedBody(request: Request, limit: number): Promise<ArrayBuffer | undefined> {
  if (!request.body) return undefined;
  if (Number(request.headers.get("content-length") ?? 0) > limit) throw new BodyTooLargeError();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BodyTooLargeError();
    }
    chunks.push(read.value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out.buffer;
}
