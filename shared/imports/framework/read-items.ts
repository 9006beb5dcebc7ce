/**
 * The reading half of a dry run: importer → state module `check` and `project` → items in
 * batches, each record's stored fields already serialized as JSON. Everything here is pure
 * CPU on the file, with no database, so it can run beside the planner in another thread
 * (`ImportReader`, Node) or inline (Workers); the batches are the same either way.
 */
import { importers } from "../importers";
import { openMappedCsv } from "../importers/csv-rows";
import type { ImportLimits } from "../limits";
import type { Boundary, Dialect } from "../read/csv-reader";
import type { ImportBytes } from "../read/text";
import { stateModules } from "../state";
import type {
  CsvRowMapper,
  ImportFormat,
  ImportKind,
  ReadResult,
  Reference,
  RowError,
  RowWarning,
} from "../types";
import type { StateModule } from "./types";

export interface ReadRequest {
  kind: ImportKind;
  format: ImportFormat;
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

/** How to read the source's rows again: its header and dialect, the mapping and limits it was read with. */
export interface SourceLayout {
  headers: string[];
  dialect: Dialect;
  mapping: Record<string, string>;
  limits: ImportLimits;
}

/** A mapped record as the planner needs it. */
export interface RecordItem {
  row: number;
  key: string;
  entity: string;
  /** JSON of the fields as stored (the state module's `project`). */
  fields: string;
  /** References to records of this import's kind (the in-file check resolves them). */
  refs?: Reference[];
  warnings?: RowWarning[];
  /** The state module's `check` found this; it is applied after the in-file check. */
  problem?: Omit<RowError, "row">;
}

/** Between two items: the source can be sliced here. The first one carries the layout. */
export interface BoundaryItem {
  boundary: Boundary;
  layout?: SourceLayout;
}

export type ReadItem = RecordItem | { error: RowError } | BoundaryItem;

/**
 * Reads a source as item batches, in file order. File-level problems are thrown as AppError.
 * An implementation may run the importer elsewhere; `readItems` is the one that runs here.
 */
export type ImportReader = (
  request: ReadRequest,
  bytes: ReadableStream<Uint8Array> | Uint8Array,
  /** The file's size in bytes, where known. */
  size?: number,
) => AsyncIterable<ReadItem[]>;

export const itemsPerBatch = 500;

function ownKind(refs: readonly Reference[], kind: ImportKind): boolean {
  for (const ref of refs) if (ref.kind === kind) return true;
  return false;
}

function itemOf(state: StateModule, request: ReadRequest, result: ReadResult<unknown>): ReadItem {
  if (!result.ok) return { error: result.error };
  const record = result.value;
  const item: RecordItem = {
    row: record.row,
    key: record.key,
    entity: record.entity,
    fields: request.fields === false ? "" : JSON.stringify(state.project(record)),
  };
  // Only references to the import's own kind are checked in the file (graph edges).
  if (record.refs && ownKind(record.refs, request.kind)) {
    item.refs = record.refs.filter((ref) => ref.kind === request.kind);
  }
  if (record.warnings) item.warnings = record.warnings;
  const problem = state.check?.(record);
  if (problem) item.problem = problem;
  return item;
}

export async function* readItems(request: ReadRequest, bytes: ImportBytes): AsyncGenerator<ReadItem[]> {
  const importer = importers[request.kind];
  if (request.format === "csv" && importer.csv) {
    yield* readCsvItems(request, bytes, importer.csv);
    return;
  }
  const state = stateModules[request.kind];
  const results = importer.read({
    bytes,
    format: request.format,
    mapping: request.mapping,
    options: request.options,
    limits: request.limits,
  });
  let batch: ReadItem[] = [];
  for await (const result of results) {
    batch.push(itemOf(state, request, result));
    if (batch.length >= itemsPerBatch) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** A CSV importer's rows, mapped a parsed piece at a time, boundaries between the pieces. */
async function* readCsvItems(
  request: ReadRequest,
  bytes: ImportBytes,
  mapper: CsvRowMapper<unknown>,
): AsyncGenerator<ReadItem[]> {
  const state = stateModules[request.kind];
  const { limits } = request;
  const input = { bytes, format: request.format, mapping: request.mapping, options: request.options, limits };
  const csv = await openMappedCsv(input, mapper);
  let batch: ReadItem[] = [];
  let last = csv.start;
  if (request.boundaries) {
    const layout: SourceLayout = {
      headers: csv.headers,
      dialect: csv.dialect,
      mapping: request.mapping,
      limits,
    };
    batch.push({ boundary: last, layout });
  }
  for await (const { results, end } of csv.batches) {
    for (const result of results) batch.push(itemOf(state, request, result));
    // Where the pieces fall depends on how the bytes arrive; a piece that ended no record adds none.
    if (request.boundaries && end.at > last.at) {
      batch.push({ boundary: end });
      last = end;
    }
    if (batch.length >= itemsPerBatch) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
