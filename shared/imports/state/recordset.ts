/**
 * A state module's batch writes, their columns written once: the drizzle table and the keys
 * of the columns a batch carries give the `jsonb_to_recordset` column list, the INSERT and
 * UPDATE lists and the type of a batch's rows (the table's insert type, so a misspelt column
 * or a value of the wrong type is a type error). Rows go to Postgres as ONE jsonb parameter
 * keyed by the table's property names (`recordset`), whatever the batch's size.
 */
import { getTableColumns, getTableName, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { recordset } from "./sql";

type Insert<T extends PgTable> = T["$inferInsert"];
export type ColumnKey<T extends PgTable> = keyof Insert<T> & string;
/** A value as it travels in JSON: timestamps as ISO strings. */
type Json<V> = V extends Date ? string | Date : V;
/** One row of a batch: the carried columns, typed by the table. */
export type RecordsetRow<T extends PgTable, K extends ColumnKey<T>> = { [P in K]: Json<Insert<T>[P]> };
/** Columns every row of a statement gets the same value: a parameter, or SQL (`t.` is the updated row). */
export type Constants<T extends PgTable> = Partial<Record<ColumnKey<T>, SQL | string | number | null>>;

export interface Recordset<T extends PgTable, K extends ColumnKey<T>> {
  /** `insert into <table> (id, carried…, constants…) select … from jsonb_to_recordset($1) as x(…)`. */
  insert(rows: readonly (RecordsetRow<T, K> & { id: string })[], constants: Constants<T>): SQL;
  /**
   * `update <table> t set <carried but matched> = x.…, constants… from jsonb_to_recordset($1) as x(…)
   * where t.tenant_id = $2 and <matched> = x.…`.
   */
  update(
    rows: readonly RecordsetRow<T, K>[],
    input: { tenantId: string; match: readonly K[]; constants: Constants<T> },
  ): SQL;
}

const join = (parts: SQL[]) => sql.join(parts, sql`, `);
const value = (v: SQL | string | number | null): SQL => (v !== null && typeof v === "object" ? v : sql`${v}`);

export function recordsetOf<T extends PgTable, K extends ColumnKey<T>>(
  table: T,
  keys: readonly K[],
): Recordset<T, K> {
  const columns = getTableColumns(table);
  const column = (key: string) => {
    const found = columns[key];
    if (!found) throw new Error(`${getTableName(table)} has no column ${key}`);
    return found;
  };
  const name = (key: string) => sql`${sql.identifier(column(key).name)}`;
  // The row's type as jsonb_to_recordset reads it (a collation belongs to the table, not here).
  const definition = (key: string) =>
    sql`${sql.identifier(key)} ${sql.raw(
      column(key)
        .getSQLType()
        .replace(/\s+collate\s+.*$/i, ""),
    )}`;
  const target = sql.identifier(getTableName(table));
  const from = (rows: readonly object[], withId: boolean) => {
    const carried = withId ? ["id", ...keys] : [...keys];
    return sql`jsonb_to_recordset(${recordset(rows)}) as x(${join(carried.map(definition))})`;
  };
  const carriedValue = (key: string) => sql`x.${sql.identifier(key)}`;
  return {
    insert(rows, constants) {
      const fixed = Object.entries(constants) as [string, SQL | string | number | null][];
      const names = ["id", ...keys, ...fixed.map(([key]) => key)].map(name);
      const values = [...["id", ...keys].map(carriedValue), ...fixed.map(([, v]) => value(v))];
      return sql`insert into ${target} (${join(names)}) select ${join(values)} from ${from(rows, true)}`;
    },
    update(rows, { tenantId, match, constants }) {
      const matched = new Set<string>(match);
      const sets = [
        ...keys.filter((key) => !matched.has(key)).map((key) => sql`${name(key)} = ${carriedValue(key)}`),
        ...(Object.entries(constants) as [string, SQL | string | number | null][]).map(
          ([key, v]) => sql`${name(key)} = ${value(v)}`,
        ),
      ];
      const where = match.map((key) => sql`t.${name(key)} = ${carriedValue(key)}`);
      return sql`update ${target} t set ${join(sets)} from ${from(rows, false)}
        where t.tenant_id = ${tenantId} and ${sql.join(where, sql` and `)}`;
    },
  };
}

/** The row type of a recordset: `const row = (w: StateWrite): RowOf<typeof written> => …`. */
export type RowOf<R> = R extends Recordset<infer T, infer K> ? RecordsetRow<T, K> : never;

/**
 * Record fields read straight into columns (`field → table property`): the column names, the
 * `x."field"` values and the `x("field" type, …)` definition of a `jsonb_to_record` over a
 * record's fields, in the map's order.
 */
export function fieldColumns<T extends PgTable>(table: T, map: Readonly<Record<string, ColumnKey<T>>>) {
  const columns = getTableColumns(table);
  const entries = Object.entries(map).map(([field, key]) => {
    const column = columns[key];
    if (!column) throw new Error(`${getTableName(table)} has no column ${key}`);
    return { field, name: column.name, type: column.getSQLType().replace(/\s+collate\s+.*$/i, "") };
  });
  return {
    /** The columns' SQL names, in order. */
    names: entries.map((e) => e.name),
    values: join(entries.map((e) => sql`x.${sql.identifier(e.field)}`)),
    definition: sql`x(${join(entries.map((e) => sql`${sql.identifier(e.field)} ${sql.raw(e.type)}`))})`,
  };
}
