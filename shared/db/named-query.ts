/**
 * `db.execute` as a named prepared statement: the server parses and plans it once
 * per connection instead of on every call. For hot statements whose text never
 * varies (only their parameters do); node-postgres refuses one name with two texts.
 * PGlite runs it as a plain query. Behind a transaction-mode pooler it needs the
 * pooler's protocol-level prepared statements (PgBouncer ≥ 1.21 with
 * `max_prepared_statements` set, as Neon's pooler runs).
 */
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Database } from "./client";

const dialect = new PgDialect();

export function executeNamed(db: Database, name: string, query: SQL): Promise<unknown> {
  return db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false).execute();
}
