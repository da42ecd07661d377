/**
 * Fetches the revocation feed over HTTP, for the edge and for external
 * backends. Bounded in time and size, so a slow or huge answer fails like an
 * unreachable one (the caller keeps its last feed). Web APIs only.
 */
import type { RevocationFeed } from "./revocation-feed";
import { parseRevocationFeed, RevocationFeedError } from "./revocation-feed";

/** Path of the feed on the app's origin (a public Node route; see `app/api/auth/revocations`). */
export const REVOCATIONS_PATH = "/api/auth/revocations";

export interface FetchFeedOptions {
  /** Give up after this long, in ms. Default 2000. */
  timeoutMs?: number;
  /** Largest body accepted, in bytes. Default 1048576 (1 MiB: about 40 000 revocations in one token lifetime). */
  maxBytes?: number;
  /** The `fetch` to use (tests). Default the global one. */
  fetch?: typeof fetch;
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (Number(response.headers.get("content-length") ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw new RevocationFeedError("too_large", "revocation feed: over the size limit");
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new RevocationFeedError("too_large", "revocation feed: over the size limit");
    }
    text += decoder.decode(read.value, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * One fetch of the feed at `url`. Rejects (`RevocationFeedError` or a fetch
 * error) on a non-200, a timeout, a body over `maxBytes` or anything that is
 * not a feed.
 *
 * @example
 * const feed = await fetchRevocationFeed(new URL("/api/auth/revocations", "https://app.example.com"));
 */
export async function fetchRevocationFeed(url: URL | string, options: FetchFeedOptions = {}): Promise<RevocationFeed> {
  const { timeoutMs = 2000, maxBytes = 1024 * 1024, fetch: doFetch = fetch } = options;
  const signal = AbortSignal.timeout(timeoutMs);
  // `manual`, not `error` (workerd refuses `error`): a redirect is not a 200, so it counts as unavailable.
  const response = await doFetch(url, { headers: { accept: "application/json" }, redirect: "manual", signal });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new RevocationFeedError("unavailable", `revocation feed: HTTP ${response.status}`);
  }
  const text = await readCapped(response, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RevocationFeedError("malformed", "revocation feed: not JSON");
  }
  return parseRevocationFeed(value);
}
