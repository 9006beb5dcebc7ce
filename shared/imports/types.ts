/**
 * The contract between the pure half of the import pipeline (read → map, in
 * shared/imports/read and shared/imports/importers) and the half that diffs, plans and
 * commits. Everything here is plain data: no database, no runtime-specific types.
 */
import type { Reference as PortReference, RowError, RowWarning } from "../platform/import-reader-port";
import type { ImportLimits } from "./limits";
import type { ImportBytes } from "./read/text";

/** The registered kinds (registry.ts); a kind registered only by a test is not in the union. */
export type { ImportKind } from "./registry";

import type { ImportKind } from "./registry";

export const importFormats = ["csv", "json", "yaml", "scim"] as const;
export type ImportFormat = (typeof importFormats)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type { RowError, RowWarning } from "../platform/import-reader-port";

/**
 * A natural key this record points at, e.g. an edge's `from` entity or an incident's
 * runbook. `key` uses the target's `MappedRecord.key` form ("entity:svc:api" for graph).
 */
export type Reference = PortReference<ImportKind>;

export interface MappedRecord<T> {
  row: number;
  /** Natural key within the tenant: email, runbook id, incident id, "entity:<key>", "edge:<from>|<type>|<to>". */
  key: string;
  /** Sub-kind where one import carries several: "operator", "runbook", "incident", "entity", "edge". */
  entity: string;
  /** Plain JSON: what gets diffed and stored. */
  fields: T;
  /** Natural keys of other records this one needs (checked by checkInFile and by the framework). */
  refs?: Reference[];
  /** Values kept as data but flagged, e.g. formula-like text. */
  warnings?: RowWarning[];
}

export type ReadResult<T> = { ok: true; value: MappedRecord<T> } | { ok: false; error: RowError };

export interface ImportInput {
  bytes: ImportBytes;
  format: ImportFormat;
  /** Source column → target field (CSV). An explicit entry beats the importer's aliases; "" ignores the column. */
  mapping?: Record<string, string>;
  /** Importer-specific options, e.g. `groupRoleMap` for identities. */
  options?: Record<string, unknown>;
  limits?: Partial<ImportLimits>;
}

/**
 * An importer turns a file into records and row errors, in file order (except where its
 * README says otherwise). File-level problems (encoding, limits, unknown columns, hostile
 * content) are thrown as AppError while iterating; rows already yielded then do not count.
 */
export interface Importer<T> {
  /** Its key in the registry. */
  kind: string;
  /** Bumps whenever the mapping from file to `fields` changes, so plans made by an older mapping go stale. */
  version: string;
  formats: ImportFormat[];
  read(input: ImportInput): AsyncIterable<ReadResult<T>>;
  /**
   * For a CSV importer whose rows map one by one, in file order, with nothing carried from
   * row to row and no references to records of its own kind: the mapping itself. The
   * framework then reads the file in batches (importers/csv-rows.ts), and a plan's create
   * rows are kept as slices of the source, re-read at commit (framework/sources/source-slices.ts).
   */
  csv?: CsvRowMapper<T>;
}

/** Maps one CSV row's cells, already checked for shape (count, length, blank lines). */
export type MapRow<T> = (row: number, cells: readonly string[]) => ReadResult<T>;

export interface CsvRowMapper<T> {
  /** The header → the row mapper; a header problem is thrown (unknown or missing columns). */
  columns(
    headers: readonly string[],
    input: Pick<ImportInput, "mapping" | "options">,
    limits: ImportLimits,
  ): MapRow<T>;
}
