/**
 * The plain state module: a kind stored in one table, one row a record, by a natural key.
 * The record's fields map to the table's columns in one typed descriptor (`fields`: record
 * field → drizzle property), from which the reads, the batch writes (recordset.ts) and the
 * provenance (`version`, `last_import_id`, kept by the import triggers) follow. A kind that
 * stores more (several tables, derived columns, a version log) writes its own module, as
 * identities, runbooks, incidents and graph do.
 */
import { getTableColumns, getTableName, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { CurrentRow, Fields, StateModule, StateWrite } from "../framework/types";
import type { JsonValue } from "../types";
import { type ColumnKey, type Constants, type RecordsetRow, recordsetOf } from "./recordset";
import { isoOf, rowsOf, textArray, timestamp, withIds } from "./sql";

/** What a table needs to hold an import kind: the tenant, and the provenance the triggers keep. */
export type ImportableTable = PgTable & {
  id: AnyPgColumn;
  tenantId: AnyPgColumn;
  version: AnyPgColumn;
  lastImportId: AnyPgColumn;
  createdAt: AnyPgColumn;
  updatedAt: AnyPgColumn;
};

export interface TableStateSpec<T extends ImportableTable, K extends ColumnKey<T>> {
  kind: string;
  table: T;
  /** Prefix of new rows' ids, e.g. "svc". */
  idPrefix: string;
  /** Record field → the table's property storing it; every field the record keeps. */
  fields: Readonly<Record<string, K>>;
  /** The record field holding the natural key (`MappedRecord.key`); its column is unique per tenant. */
  key: string;
}

export function tableState<T extends ImportableTable, K extends ColumnKey<T>>(
  spec: TableStateSpec<T, K>,
): StateModule {
  const { table, kind } = spec;
  const columns = getTableColumns(table);
  const mapped = Object.entries(spec.fields) as [string, K][];
  const keyProperty = spec.fields[spec.key];
  if (!keyProperty) throw new Error(`import kind ${kind}: its key field ${spec.key} maps to no column`);
  const columnOf = (property: string) => {
    const column = columns[property];
    if (!column) throw new Error(`${getTableName(table)} has no column ${property}`);
    return column;
  };
  const keyColumn = sql.identifier(columnOf(keyProperty).name);
  const selected = sql.join(
    mapped.map(
      ([field, property]) => sql`${sql.identifier(columnOf(property).name)} as ${sql.identifier(field)}`,
    ),
    sql`, `,
  );
  const timestamps = new Set(
    mapped.filter(([, p]) => columnOf(p).dataType === "date").map(([field]) => field),
  );
  const written = recordsetOf(
    table,
    mapped.map(([, property]) => property),
  );
  const row = (write: StateWrite) => {
    const out: Record<string, unknown> = {};
    for (const [field, property] of mapped)
      out[property] = field === spec.key ? write.key : (write.fields[field] ?? null);
    return out as RecordsetRow<T, K>;
  };

  return {
    kind,
    tracksImports: true,

    project(record) {
      const fields = record.fields as Fields;
      const out: Fields = {};
      for (const [field] of mapped) out[field] = fields[field] ?? null;
      return out;
    },

    async load(db, tenantId, keys, lock = false) {
      const out = new Map<string, CurrentRow>();
      if (keys.length === 0) return out;
      const result = await db.execute(sql`select ${selected}, version, last_import_id
        from ${sql.identifier(getTableName(table))}
        where tenant_id = ${tenantId} and ${keyColumn} = any(${textArray(keys)}) ${lock ? sql`for update` : sql``}`);
      for (const r of rowsOf<Record<string, unknown>>(result)) {
        const fields: Fields = {};
        for (const [field] of mapped) {
          const value = r[field] ?? null;
          fields[field] = timestamps.has(field) ? isoOf(value as Date | string | null) : (value as JsonValue);
        }
        out.set(String(r[spec.key]), {
          fields,
          lastImportId: (r.last_import_id as string | null) ?? null,
          version: Number(r.version),
        });
      }
      return out;
    },

    async write(db, { tenantId, importId, now: date, creates, updates }) {
      const now = timestamp(date);
      if (creates.length > 0) {
        const constants = { tenantId, version: 1, lastImportId: importId, createdAt: now, updatedAt: now };
        await db.execute(written.insert(withIds(spec.idPrefix, creates, row), constants as Constants<T>));
      }
      if (updates.length > 0) {
        const constants = { lastImportId: importId, updatedAt: now };
        await db.execute(
          written.update(updates.map(row), {
            tenantId,
            match: [keyProperty],
            constants: constants as Constants<T>,
          }),
        );
      }
    },

    async remove(db, tenantId, keys) {
      if (keys.length === 0) return;
      await db.execute(sql`delete from ${sql.identifier(getTableName(table))}
        where tenant_id = ${tenantId} and ${keyColumn} = any(${textArray(keys)})`);
    },
  };
}
