/** A real Postgres through node-postgres, used on Node when DATABASE_URL is set. Node only. */
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import type { Database } from "../db/client";
import * as schema from "../db/schema";
import type { DatabasePort } from "./ports";

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
    migrate: (migrationsFolder) => migrate(drizzleDb, { migrationsFolder }),
    shutdown: () => pool.end(),
  };
}
