/**
 * The plain way to write a CSV importer: its columns (field → header aliases), a zod schema
 * for one row, the natural key. Each row's cells arrive trimmed, keyed by field ("" and
 * missing columns as null); the schema turns them into the record's fields or rejects the row
 * (zod issues → RowErrors with the column as written in the file); formula-like values are
 * flagged and overlong ones rejected (`finish`). Rows are read one by one, in file order.
 *
 * The batched `CsvRowMapper` (incidents) is an opt-in for kinds imported by the hundred
 * thousand rows: pieces mapped in another thread, create rows kept as source slices. See
 * docs/importers.md.
 */
import type { z } from "zod";
import { resolveLimits } from "../limits";
import { type ColumnSpec, resolveColumns, rowValues } from "../read/columns";
import { openCsv } from "../read/csv-reader";
import type { Importer, ImportInput, ReadResult, Reference } from "../types";
import { cell, checkFormat, finish, type MapContext, zodReject } from "./map";

export interface CsvImporterSpec<F extends string, S extends z.ZodType> {
  /** The kind, as registered (../registry.ts). */
  kind: string;
  /** Bump it whenever the mapping from file to fields changes. */
  version: string;
  /** `defineColumns({ field: ["header alias", …] }, [required fields])`. */
  columns: ColumnSpec<F>;
  /** One row's values (every field, null where empty) → the record's fields. */
  schema: S;
  /** The record's natural key within the tenant. */
  key(fields: z.output<S>): string;
  /** The record's sub-kind, e.g. "service". */
  entity: string;
  /** Natural keys of other records this one names (only references to its own kind are checked in the file). */
  refs?(fields: z.output<S>, columnOf: (field: F) => string): Reference[];
}

export function csvImporter<F extends string, S extends z.ZodType>(
  spec: CsvImporterSpec<F, S>,
): Importer<z.output<S>> {
  const importer: Importer<z.output<S>> = {
    kind: spec.kind,
    version: spec.version,
    formats: ["csv"],
    read: (input) => readRows(spec, input),
  };
  return importer;
}

async function* readRows<F extends string, S extends z.ZodType>(
  spec: CsvImporterSpec<F, S>,
  input: ImportInput,
): AsyncGenerator<ReadResult<z.output<S>>> {
  checkFormat(spec.kind, input.format, ["csv"]);
  const limits = resolveLimits(input.limits);
  const table = await openCsv(input.bytes, limits);
  const columns = resolveColumns(table.headers, spec.columns, input.mapping);
  const columnOf = (field: F) => columns.sourceOf[field] ?? field;
  const ctx: MapContext = { limits, columnOf: (field) => columns.sourceOf[field as F] };
  for await (const result of table.rows) {
    if (!result.ok) {
      yield result;
      continue;
    }
    const cells = rowValues(columns, result.cells);
    const values: Record<string, string | null> = {};
    for (const field of spec.columns.fields) values[field] = cell(cells[field]);
    const parsed = spec.schema.safeParse(values);
    if (!parsed.success) {
      yield zodReject(ctx, result.row, parsed.error, values);
      continue;
    }
    const fields = parsed.data;
    const refs = spec.refs?.(fields, columnOf);
    yield finish(ctx, {
      row: result.row,
      key: spec.key(fields),
      entity: spec.entity,
      fields,
      ...(refs && refs.length > 0 ? { refs } : {}),
    });
  }
}
