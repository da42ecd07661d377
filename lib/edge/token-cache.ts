/**
 * A bounded memory of verified tokens, so a token seen before costs a map
 * lookup instead of a signature check. Entries are tied to the key set they
 * were verified against: when the set is refetched (a key withdrawn or
 * rotated) or goes stale, every entry stops counting at once.
 */
import type { KeySource } from "./keys";
import type { AccessClaims } from "./verify";

interface Entry {
  readonly claims: AccessClaims;
  readonly keysVersion: number;
}

export interface TokenCacheOptions {
  /** The verifier's key source; its key-set version is recorded with each entry. */
  keys: KeySource;
  /** Upper bound on entries; the oldest is dropped first. 0 disables the cache. */
  maxEntries: number;
}

/** Exact-string cache of verified claims. */
export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #keys: KeySource;
  readonly #maxEntries: number;

  constructor({ keys, maxEntries }: TokenCacheOptions) {
    this.#keys = keys;
    this.#maxEntries = maxEntries;
  }

  /** Claims for `token` if it was verified against the current key set and `exp` is still ahead of `nowSeconds`. */
  get(token: string, nowSeconds: number): AccessClaims | undefined {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    if (entry.claims.exp <= nowSeconds || entry.keysVersion !== this.#keys.version()) {
      this.#entries.delete(token);
      return undefined;
    }
    return entry.claims;
  }

  /** Remembers a token just verified against the current key set. */
  set(token: string, claims: AccessClaims): void {
    if (this.#maxEntries <= 0) return;
    const keysVersion = this.#keys.version();
    if (keysVersion === undefined) return;
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(token, { claims, keysVersion });
  }

  /** Number of remembered tokens (for tests and the benchmark). */
  get size(): number {
    return this.#entries.size;
  }
}
