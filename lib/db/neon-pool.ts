/**
 * The Neon serverless driver's `Pool` as Kysely's `PostgresPool` (Node only):
 * bridged for a loopback Postgres, and guarded so an outage surfaces as a
 * `DatabaseUnavailableError` saying where, instead of the driver's bare
 * "Connection terminated unexpectedly".
 */
import { Client, neonConfig, Pool } from "@neondatabase/serverless";
import type { PostgresPool, PostgresPoolClient } from "kysely";
import ws from "ws";
import { createConnectionQueue } from "./connection-queue";
import { DatabaseUnavailableError, isDatabaseUnavailable, reportDatabaseError } from "./errors";
import type { NeonBridge } from "./neon-bridge";
import { startNeonBridge } from "./neon-bridge";
import type { ScramSession } from "./scram";
import { continueScramSession } from "./scram";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** Options of `createNeonPool`. */
export interface NeonPoolOptions {
  /** A `postgres://` URL. A loopback host is reached through an in-process bridge. */
  connectionString: string;
  /** Largest number of pooled connections. */
  max: number;
  /** Close a connection idle this long (ms). */
  idleTimeoutMillis: number;
  /** Give up opening a connection after this long (ms): the database is likely gone. */
  connectionTimeoutMillis: number;
  /** Give up waiting for a free connection when all `max` are busy after this long (ms). */
  queueTimeoutMillis: number;
}

/** A started pool and everything it runs on. */
export interface NeonPool {
  readonly pool: PostgresPool;
  /** Ends the pool's connections, then stops the bridge (if any). */
  close(): Promise<void>;
}

/** True when `url` names this machine, where no Neon proxy exists and the kit bridges itself. */
export function isLoopbackUrl(url: string): boolean {
  return LOOPBACK.has(new URL(url).hostname.toLowerCase());
}

/**
 * The driver's `Client` with the kit's SCRAM step (`scram.ts`): one PBKDF2
 * per password and salt instead of 4,096 awaited HMACs per connection, so a
 * saturated server still opens connections well inside the connect timeout.
 */
class ScramClient extends Client {
  // Overrides the handler node-postgres binds to `authenticationSASLContinue` when it connects.
  override async _handleAuthSASLContinue(message: { data: string }): Promise<void> {
    const session = this.saslSession as ScramSession;
    try {
      if (typeof this.password !== "string")
        throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string");
      await continueScramSession(session, this.password, message.data);
      this.connection.sendSCRAMClientFinalMessage(session.response);
    } catch (error) {
      this.connection.emit("error", error); // fails the connect, like any protocol error
    }
  }
}

/** A driver `Client` that talks to `bridge` with plain WebSockets, leaving the global `neonConfig` alone. */
function bridgedClient(bridge: NeonBridge): typeof Client {
  return class BridgedClient extends ScramClient {
    constructor(...args: ConstructorParameters<typeof Client>) {
      super(...args);
      const config = this.neonConfig;
      config.wsProxy = (host, port) => bridge.proxyFor(host, port);
      config.useSecureWebSocket = false; // loopback only: TLS would buy nothing
      config.pipelineConnect = false; // pipelining is a Neon proxy feature; plain Postgres needs the normal handshake
      config.pipelineTLS = false;
    }
  };
}

function guard(client: PostgresPoolClient, describe: () => string, endTurn: () => void): PostgresPoolClient {
  let broken = false;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  return Object.assign(Object.create(client) as PostgresPoolClient, {
    query: (...args: unknown[]) => {
      const result = query(...args);
      if (!(result instanceof Promise)) return result; // a cursor: errors arrive on read
      return result.catch((error: unknown) => {
        const reported = reportDatabaseError(error, describe);
        broken ||= isDatabaseUnavailable(reported);
        throw reported;
      });
    },
    // A connection that failed mid-query is destroyed, never handed to the next request.
    release: (destroy?: boolean) => {
      client.release(destroy || broken);
      endTurn();
    },
  });
}

/** Starts the bridge when needed and builds the guarded pool. */
export async function createNeonPool(options: NeonPoolOptions): Promise<NeonPool> {
  const { connectionString, queueTimeoutMillis, ...poolOptions } = options;
  // Node 20 has no global WebSocket; Edge and newer Node do.
  if (typeof WebSocket === "undefined") neonConfig.webSocketConstructor = ws;
  const url = new URL(connectionString);
  const target = { host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || 5432) };
  const bridge = isLoopbackUrl(connectionString) ? await startNeonBridge(target) : undefined;
  const pool = new Pool({ connectionString, ...poolOptions });
  pool.Client = bridge ? bridgedClient(bridge) : ScramClient;
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  const describe = () => {
    const via = bridge ? " through the local WebSocket bridge" : "";
    const cause = bridge?.lastError();
    return `Database unreachable at ${url.host}${via}${cause ? `: ${cause}` : ""}`;
  };
  const queue = createConnectionQueue({
    size: options.max,
    timeoutMillis: queueTimeoutMillis,
    busyError: () =>
      new DatabaseUnavailableError(
        `Database busy: all ${options.max} connections to ${url.host} stayed in use for ${queueTimeoutMillis} ms`,
      ),
  });
  const guarded: PostgresPool = {
    connect: async () => {
      const endTurn = await queue.acquire().catch((error: unknown) => {
        throw reportDatabaseError(error, describe);
      });
      try {
        return guard((await pool.connect()) as unknown as PostgresPoolClient, describe, endTurn);
      } catch (error) {
        endTurn();
        throw reportDatabaseError(error, describe);
      }
    },
    end: () => pool.end(),
    options: pool.options,
  };
  return {
    pool: guarded,
    close: async () => {
      if (!pool.ended && !pool.ending) await pool.end();
      await bridge?.close();
    },
  };
}
