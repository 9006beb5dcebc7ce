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
  /** A pooled connection that failed while idle (server restart, terminated backend). */
  onError?: (error: Error) => void;
}): PgDatabase {
  const pool = new pg.Pool({ connectionString: options.url, max: options.max ?? 10 });
  // Without a listener such an error would be thrown and end the process; the pool has
  // already dropped the connection, and the next query opens a new one.
  pool.on("error", (error) => options.onError?.(error));
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

const copyIn: CopyIn = async (tx, statement, pieces) => {
  const sink = connectionOf(tx).query(copyFrom(statement));
  await pipeline(Readable.from(pieces, { objectMode: false }), sink);
  return Number(sink.rowCount);
};
