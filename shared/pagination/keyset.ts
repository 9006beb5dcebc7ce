/**
 * Keyset conditions written as row comparisons, `(created_at, id) < ($1, $2)`: Postgres
 * reads that as one range of an index on (…, created_at, id) and starts the scan there, so a
 * deep page costs what the first does. The equivalent `a < x OR (a = x AND b < y)` is only a
 * filter: the scan would walk every row before the cursor.
 */
import { type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Position } from "./cursor";

/** Rows after `after` in newest-first (created_at, id) order; undefined on the first page. */
export function olderThan(createdAt: PgColumn, id: PgColumn, after: Position | undefined): SQL | undefined {
  return after ? rowsBefore(createdAt, id, after.at, after.id) : undefined;
}

/** Rows after `after` in oldest-first (created_at, id) order; undefined on the first page. */
export function newerThan(createdAt: PgColumn, id: PgColumn, after: Position | undefined): SQL | undefined {
  return after
    ? sql`(${createdAt}, ${id}) > (${sql.param(after.at, createdAt)}, ${sql.param(after.id, id)})`
    : undefined;
}

/** `(first, second) < (a, b)`, each value encoded as its column encodes it. */
export function rowsBefore(first: PgColumn, second: PgColumn, a: unknown, b: unknown): SQL {
  return sql`(${first}, ${second}) < (${sql.param(a, first)}, ${sql.param(b, second)})`;
}
