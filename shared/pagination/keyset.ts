import { and, eq, lt, or, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Position } from "./cursor";

/** Rows after `after` in newest-first (created_at, id) order; undefined on the first page. */
export function olderThan(createdAt: PgColumn, id: PgColumn, after: Position | undefined): SQL | undefined {
  return after ? or(lt(createdAt, after.at), and(eq(createdAt, after.at), lt(id, after.id))) : undefined;
}
