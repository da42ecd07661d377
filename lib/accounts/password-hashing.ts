/**
 * Password hashing with Better Auth's own scrypt, a bounded number at a time
 * (Node only).
 *
 * Better Auth hashes on Node's libuv thread pool (four threads unless
 * `UV_THREADPOOL_SIZE` says otherwise). That pool also runs what every other
 * request needs to make progress: the DNS lookup and SCRAM's PBKDF2 of a new
 * database connection, and WebCrypto's Ed25519 signing of each access token.
 * A burst of sign-ins could fill every thread with ~100 ms hashes, so a new
 * pooled connection waited past its 5 s connect timeout and a refresh or
 * sign-in answered 503 (measured in the load test). Hashes now queue here,
 * at most all threads but two at once, and the rest of the pool stays free.
 * On 2 cores two concurrent hashes already keep both busy: no throughput is lost.
 */
import { hashPassword, verifyPassword } from "better-auth/crypto";
import { createConnectionQueue } from "../db/connection-queue";

/** Threads libuv runs (Node reads `UV_THREADPOOL_SIZE` once, at start; default 4). */
function threadPoolSize(): number {
  const size = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isInteger(size) && size > 0 ? size : 4;
}

/** Hashes at once: every thread but two, at least one. */
export const CONCURRENT_HASHES = Math.max(1, threadPoolSize() - 2);

const turns = createConnectionQueue({
  size: CONCURRENT_HASHES,
  // A sign-in that waited this long has lost its client anyway; Better Auth answers it with a 500.
  timeoutMillis: 30_000,
  busyError: () => new Error(`password hashing: ${CONCURRENT_HASHES} hashes at once stayed busy for 30 s`),
});

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const done = await turns.acquire();
  try {
    return await work();
  } finally {
    done();
  }
}

/** `emailAndPassword.password` for `betterAuth()`: Better Auth's scrypt, `CONCURRENT_HASHES` at a time. */
export const limitedPasswordHashing = {
  hash: (password: string) => inTurn(() => hashPassword(password)),
  verify: (data: { hash: string; password: string }) => inTurn(() => verifyPassword(data)),
};
