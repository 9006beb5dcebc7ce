/**
 * What the context and the schema need to know of the import reader: plain data types and
 * the `ImportReader` port, importing nothing. shared/imports builds on these (read-items.ts
 * reads, limits.ts resolves limits); shared/db/schema and shared/context import them from
 * here, never from shared/imports (test/unit/import-layering.test.ts keeps it so).
 * A kind is a `string` here; shared/imports narrows it to its registered kinds.
 */

/**
 * Limits every import reader enforces. A file past one of them is refused as a whole
 * (`payload_too_large` or `unprocessable` with a stable code), never half-read or crashed on.
 */
export interface ImportLimits {
  /** Bytes read from the input before `file_too_large`. */
  maxBytes: number;
  /**
   * Bytes for formats parsed as one document (JSON, SCIM JSON, YAML). These are not streamed,
   * and their object trees cost several times their size in memory (a Worker has 128 MB).
   */
  maxDocumentBytes: number;
  /** Data rows (CSV) or items (JSON/YAML) before `too_many_rows`. */
  maxRows: number;
  /** CSV columns before `too_many_columns`. */
  maxColumns: number;
  /** Characters in one value before the row is rejected with `field_too_long`. */
  maxFieldLength: number;
  /** Nested arrays/objects before `too_deep`. */
  maxNesting: number;
  /** YAML alias nodes resolved before `too_many_aliases` (the yaml package's maxAliasCount). */
  maxAliases: number;
}

/**
 * One rejected row. `row` is the 1-based data row of a CSV (the header is row 0; blank
 * lines keep their number but are skipped) or the 1-based item index of a JSON/YAML
 * document; 0 means the file as a whole. `column` is the CSV header as written in the
 * file, or a JSON Pointer relative to the item (e.g. "/steps/2/params/zone").
 */
export interface RowError {
  row: number;
  column?: string;
  /** Stable snake_case code, e.g. `ragged_row`, `invalid_email`, `duplicate_key`. */
  code: string;
  message: string;
  hint?: string;
}

/** Something kept as data but worth flagging, e.g. `formula_like` for "=SUM(A1)". */
export interface RowWarning {
  column?: string;
  code: string;
  message: string;
}

/**
 * A natural key this record points at, e.g. an edge's `from` entity or an incident's
 * runbook. `key` uses the target's `MappedRecord.key` form ("entity:svc:api" for graph).
 */
export interface Reference<Kind extends string = string> {
  column: string;
  kind: Kind;
  key: string;
}

/**
 * A record boundary in the source: `at` is the byte offset (of the file as stored, a byte
 * order mark included) where a record starts, `row` that record's row number. A slice of
 * the file from one boundary to a later one parses on its own (source-slices.ts).
 */
export interface Boundary {
  at: number;
  row: number;
}

/** A CSV's line ending and delimiter. */
export interface Dialect {
  newline: "\n" | "\r\n" | "\r";
  delimiter: "," | ";" | "\t";
}

/** How to read the source's rows again: its header and dialect, the mapping and limits it was read with. */
export interface SourceLayout {
  headers: string[];
  dialect: Dialect;
  mapping: Record<string, string>;
  limits: ImportLimits;
}

export interface ReadRequest<Kind extends string = string> {
  kind: Kind;
  format: string;
  mapping: Record<string, string>;
  options: Record<string, unknown>;
  limits: ImportLimits;
  /**
   * Boundaries between the items (CSV importers with a row mapper only): the planner keeps
   * its create rows as slices of the source between them (source-slices.ts).
   */
  boundaries?: boolean;
  /** False: the items carry no fields (the planner needs none: every row is new and sliced). */
  fields?: boolean;
}

/** A mapped record as the planner needs it. */
export interface RecordItem<Kind extends string = string> {
  row: number;
  key: string;
  entity: string;
  /** JSON of the fields as stored (the state module's `project`). */
  fields: string;
  /** References to records of this import's kind (the in-file check resolves them). */
  refs?: Reference<Kind>[];
  warnings?: RowWarning[];
  /** The state module's `check` found this; it is applied after the in-file check. */
  problem?: Omit<RowError, "row">;
}

/** Between two items: the source can be sliced here. The first one carries the layout. */
export interface BoundaryItem {
  boundary: Boundary;
  layout?: SourceLayout;
}

export type ReadItem<Kind extends string = string> = RecordItem<Kind> | { error: RowError } | BoundaryItem;

/**
 * Reads a source as item batches, in file order. File-level problems are thrown as AppError.
 * An implementation may run the importer elsewhere; shared/imports' `inlineReader` runs it
 * in the caller's thread.
 */
export interface ImportReader<Kind extends string = string> {
  read(
    request: ReadRequest<Kind>,
    bytes: ReadableStream<Uint8Array> | Uint8Array,
    /** The file's size in bytes, where known. */
    size?: number,
  ): AsyncIterable<ReadItem<Kind>[]>;
  /**
   * A read of `size` bytes is coming once its source is hashed: a reader that reads in
   * another thread may start one now, so that it is ready by then.
   */
  prepare?(size: number): void;
}
