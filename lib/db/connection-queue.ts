/**
 * A first-come, first-served queue for pooled connections (Node only).
 *
 * node-postgres has one timeout for two different waits: opening a connection
 * (the database may be gone: fail fast) and waiting for a busy pool to free
 * one (a burst of sign-ups holds every connection while it hashes passwords
 * inside its transaction: worth waiting for). The kit keeps the pool's own
 * timeout short for the first and queues here for the second.
 */

/** Options of `createConnectionQueue`. */
export interface ConnectionQueueOptions {
  /** How many holders at once (the pool's `max`). */
  size: number;
  /** Longest wait for a turn (ms), then `busyError()` is thrown. */
  timeoutMillis: number;
  /** The error for a wait that timed out. */
  busyError: () => Error;
}

/** Hands out at most `size` turns at a time. */
export interface ConnectionQueue {
  /** Waits for a turn; resolves with the function that ends it (idempotent). */
  acquire(): Promise<() => void>;
}

/** Creates a queue; see `ConnectionQueueOptions`. */
export function createConnectionQueue(options: ConnectionQueueOptions): ConnectionQueue {
  let active = 0;
  const waiting: Array<() => void> = [];

  const turn = (): (() => void) => {
    active += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      active -= 1;
      waiting.shift()?.();
    };
  };

  return {
    acquire: () => {
      if (active < options.size) return Promise.resolve(turn());
      return new Promise((resolve, reject) => {
        const grant = () => {
          clearTimeout(timer);
          resolve(turn());
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(grant), 1);
          reject(options.busyError());
        }, options.timeoutMillis);
        waiting.push(grant);
      });
    },
  };
}
