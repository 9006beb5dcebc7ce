/** A real Postgres through node-postgres, used on Node when DATABASE_URL is set. Node only. */

import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Database } from "../db/client";
import * as schema from "../db/schema";
import type { CopyIn, DatabasePort } from "./ports";

export interface PgDatabase extends DatabasePort {
  readonly pool: pg.Pool;
  migrate(migrationsFolder: string): Promise<void>;
  shutdown(): Promise<void>;
}

export function createPgDatabase(options: {
  url: string;
  max?: number;
  /**
   * A connection that failed (server restart, terminated backend, a severed socket), idle in
   * the pool or checked out (a transaction, a COPY).
   */
  onError?: (error: Error) => void;
  /** How long a query waits for a connection (a new one, or one free in the pool) before failing. */
  connectTimeoutMs?: number;
}): PgDatabase {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    // A server that does not answer fails the request (503) instead of holding it.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    keepAlive: true,
  });
  // A client emits 'error' when its socket dies, and an 'error' event without a listener ends
  // the process. The pool listens only while a client is idle; a client checked out (by a
  // drizzle transaction, by COPY) would have none. So every client gets one for its whole
  // life: the failure itself reaches whoever was using it (their query rejects), the pool
  // drops the broken client on release, and the next query opens a new one.
  pool.on("connect", (client) => {
    client.on("error", (error) => options.onError?.(error));
  });
  pool.on("error", () => {}); // the same failure, reported while idle: already reported above
  const drizzleDb = drizzle({ client: pool, schema });
  const db = drizzleDb as unknown as Database;
  return {
    driver: "pg",
    pool,
    connect: () => ({ db, close: async () => {} }),
    copyIn,
    migrate: (migrationsFolder) => migrate(drizzleDb, { migrationsFolder }),
    shutdown: () => pool.end(),
  };
}

/** The connection under a drizzle transaction: COPY streams on one connection, never the pool. */
function connectionOf(tx: Database): pg.Client {
  const client = (tx as unknown as { _: { session: { client?: unknown } } })._.session.client;
  if (!(client instanceof pg.Client)) throw new Error("COPY runs inside a transaction");
  return client;
}

/**
 * A connection that dies mid-COPY fails the COPY at once: its 'error' rejects here even when
 * the COPY stream, destroyed on a dead socket, would wait for the server's answer to its
 * CopyFail forever. The source stops being read, and the caller's transaction fails.
 */
const copyIn: CopyIn = async (tx, statement, pieces) => {
  const client = connectionOf(tx);
  const source = Readable.from(pieces, { objectMode: false });
  const sink = client.query(copyFrom(statement));
  let onError: (error: Error) => void = () => {};
  const broken = new Promise<never>((_, reject) => {
    onError = reject;
    client.once("error", onError);
  });
  broken.catch(() => {});
  try {
    await Promise.race([pipeline(source, sink), broken]);
  } catch (error) {
    source.destroy();
    throw error;
  } finally {
    client.removeListener("error", onError);
  }
  return Number(sink.rowCount);
};
