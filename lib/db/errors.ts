/**
 * Database failures the kit acts on (Node only): an unreachable database
 * becomes a typed `DatabaseUnavailableError`, and a request can watch what its
 * queries ran into even when a library swallows the error on the way up.
 *
 * Better Auth turns some database errors into other answers: a session lookup
 * that cannot reach the database reads as "no session" (401), a failed insert
 * as `422 FAILED_TO_CREATE_USER`. `watchDatabase` lets the route that called
 * it still tell an outage (503) or a duplicate from what Better Auth reported.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** Thrown when the database cannot be reached or dropped the connection; `code` is stable. */
export class DatabaseUnavailableError extends Error {
  override readonly name = "DatabaseUnavailableError";
  readonly code = "DATABASE_UNAVAILABLE";
}

/** A constraint the database refused a write for (SQLSTATE class 23). */
export interface ConstraintViolation {
  /** SQLSTATE, e.g. `23505` (unique_violation). */
  readonly code: string;
  readonly table: string | undefined;
  readonly constraint: string | undefined;
}

/** What the queries of one `watchDatabase` call ran into. */
export interface DatabaseWatch {
  /** Set when any query or connection attempt found the database unavailable. */
  readonly unavailable: DatabaseUnavailableError | undefined;
  readonly violations: readonly ConstraintViolation[];
}

interface MutableWatch {
  unavailable: DatabaseUnavailableError | undefined;
  violations: ConstraintViolation[];
}

// One store per process, on `globalThis` like the database handle (`lib/db/index.ts`): Next bundles
// each route separately, and the pool is created by whichever bundle asks first (a page's server helper
// reading the revocation feed, say). A store per bundle would hide that pool's failures from the auth
// route's watch, and an outage would read as "signed out" again.
const globalForWatches = globalThis as typeof globalThis & { __edgeGuardDbWatches?: AsyncLocalStorage<MutableWatch> };
globalForWatches.__edgeGuardDbWatches ??= new AsyncLocalStorage<MutableWatch>();
const watches = globalForWatches.__edgeGuardDbWatches;

// SQLSTATE 08xxx connection exceptions (not 08P01, a protocol violation: our bug, not an outage),
// 57P01-03 admin/crash shutdown and "cannot connect now", 53300 too many connections.
const UNAVAILABLE_SQLSTATE = /^(080\d\d|57P0[1-3]|53300)$/;
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
// node-postgres (inside the Neon driver) raises these without any code, so the message is all there is.
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection closed|connection is closed|Client was closed/i;

function codeOf(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** True for errors meaning "the database is not there right now" (never for a bad query or a constraint). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = codeOf(error);
  // The same error class from another route bundle's copy of this module.
  if (code === "DATABASE_UNAVAILABLE") return true;
  if (code && (UNAVAILABLE_SQLSTATE.test(code) || NETWORK_CODES.has(code))) return true;
  return UNAVAILABLE_MESSAGE.test(error.message);
}

/**
 * Records a failed query or connection attempt in the current watch, and
 * returns the error to throw: an outage becomes a `DatabaseUnavailableError`
 * whose message says where (`describe` is called only then), with the
 * original as `cause`; anything else is returned unchanged.
 */
export function reportDatabaseError(error: unknown, describe: () => string): unknown {
  const watch = watches.getStore();
  if (isDatabaseUnavailable(error)) {
    const detail = error instanceof Error ? error.message : String(error);
    const wrapped =
      error instanceof Error && codeOf(error) === "DATABASE_UNAVAILABLE"
        ? (error as DatabaseUnavailableError)
        : new DatabaseUnavailableError(`${describe()} (${detail})`, { cause: error });
    if (watch) watch.unavailable ??= wrapped;
    return wrapped;
  }
  const code = error instanceof Error ? codeOf(error) : undefined;
  if (watch && code?.startsWith("23")) {
    const { table, constraint } = error as { table?: string; constraint?: string };
    watch.violations.push({ code, table, constraint });
  }
  return error;
}

/**
 * Runs `fn` while recording the database failures of every query it causes,
 * even those a library catches and turns into another answer.
 *
 * @example
 * const response = await watchDatabase(async (watch) => {
 *   const response = await auth.handler(request);
 *   return watch.unavailable && response.status >= 400 ? unavailableResponse() : response;
 * });
 */
export function watchDatabase<T>(fn: (watch: DatabaseWatch) => Promise<T>): Promise<T> {
  const watch: MutableWatch = { unavailable: undefined, violations: [] };
  return watches.run(watch, () => fn(watch));
}
