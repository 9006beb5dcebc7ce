/**
 * The reading half of a dry run: importer → state module `check` and `project` → items in
 * batches, each record's stored fields already serialized as JSON. Everything here is pure
 * CPU on the file, with no database, so it can run beside the planner in another thread
 * (`ImportReader`, Node) or inline (Workers); the items are the same either way (record
 * boundaries fall where the text pieces do). A CSV importer with a row mapper is read a
 * parsed piece at a time, and a piece can be handed to another thread to map (`ReadHelper`,
 * `pieceReader`).
 */

import type * as Port from "../../../platform/import-reader-port";
import type { SourceLayout } from "../../../platform/import-reader-port";
import { mapRow, openMappedCsv } from "../../importers/csv-rows";
import type { ImportLimits } from "../../limits";
import { type Boundary, checkRow, type Dialect, parsePiece } from "../../read/csv-reader";
import type { ImportBytes } from "../../read/text";
import { importerOf, stateOf } from "../../registry";
import type {
  CsvRowMapper,
  ImportFormat,
  ImportKind,
  MapRow,
  ReadResult,
  Reference,
  RowError,
  RowWarning,
} from "../../types";
import type { StateModule } from "../types";

/**
 * The reader's types live in shared/platform/import-reader-port.ts, their kinds plain
 * strings (the context holds a reader); here they name the registered kinds and formats.
 */
export type ReadRequest = Port.ReadRequest<ImportKind> & { format: ImportFormat };
export type RecordItem = Port.RecordItem<ImportKind>;
export type ReadItem = Port.ReadItem<ImportKind>;
export type ImportReader = Port.ImportReader<ImportKind>;
export type { BoundaryItem, SourceLayout } from "../../../platform/import-reader-port";

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

/** A parsed piece of a CSV, handed to another thread to map (`ReadHelper`). */
export interface Piece {
  text: string;
  /** The row of its first record. */
  row: number;
  layout: SourceLayout;
}

/**
 * Maps some of a file's pieces elsewhere while the reader goes on parsing: `offer` answers
 * a number whose items take the piece's place, or undefined when the helper has enough
 * (the reader maps the piece itself).
 */
export interface ReadHelper {
  offer(piece: Piece): number | undefined;
}

/** Where the items of handed-over piece `helped` go. */
export interface HelpedItem {
  helped: number;
}

export async function* readItems(request: ReadRequest, bytes: ImportBytes): AsyncGenerator<ReadItem[]> {
  yield* readPieces(request, bytes) as AsyncGenerator<ReadItem[]>;
}

export const inlineReader: ImportReader = { read: readItems };

/** `readItems`, with some CSV pieces left to `helper` (a HelpedItem in the place of each). */
export async function* readPieces(
  request: ReadRequest,
  bytes: ImportBytes,
  helper?: ReadHelper,
): AsyncGenerator<(ReadItem | HelpedItem)[]> {
  const importer = importerOf(request.kind);
  if (request.format === "csv" && importer.csv) {
    yield* readCsvItems(request, bytes, importer.csv, helper);
    return;
  }
  const state = stateOf(request.kind);
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
  helper: ReadHelper | undefined,
): AsyncGenerator<(ReadItem | HelpedItem)[]> {
  const state = stateOf(request.kind);
  const { limits } = request;
  const input = { bytes, format: request.format, mapping: request.mapping, options: request.options, limits };
  const csv = await openMappedCsv(input, mapper);
  const layout: SourceLayout = {
    headers: csv.headers,
    dialect: csv.dialect,
    mapping: request.mapping,
    limits,
  };
  let batch: (ReadItem | HelpedItem)[] = [];
  let last = csv.start;
  if (request.boundaries) batch.push({ boundary: last, layout });
  for await (const piece of csv.batches) {
    const helped =
      helper && piece.text !== "" && piece.rows.length > 0
        ? helper.offer({ text: piece.text, row: piece.row, layout })
        : undefined;
    if (helped !== undefined) batch.push({ helped });
    else for (const row of piece.rows) batch.push(itemOf(state, request, mapRow(csv.map, row)));
    // Where the pieces fall depends on how the bytes arrive; a piece that ended no record adds none.
    if (request.boundaries && piece.end.at > last.at) {
      batch.push({ boundary: piece.end });
      last = piece.end;
    }
    if (batch.length >= itemsPerBatch) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * The row mapper of `kind`'s CSV importer for rows read again from a source with `layout`
 * (a handed-over piece, a plan's slice); undefined when the importer has none.
 */
export function layoutMapper(
  kind: ImportKind,
  layout: SourceLayout,
  options: Record<string, unknown>,
): MapRow<unknown> | undefined {
  const { headers, limits, mapping } = layout;
  return importerOf(kind).csv?.columns(headers, { mapping, options }, limits);
}

/** The items of a handed-over piece (`ReadHelper`): those the reader would have given. */
export function pieceReader(request: ReadRequest, layout: SourceLayout): (piece: Piece) => ReadItem[] {
  const map = layoutMapper(request.kind, layout, request.options);
  if (!map) throw new Error(`the ${request.kind} importer reads no CSV rows`);
  const { headers, dialect, limits } = layout;
  const state = stateOf(request.kind);
  return (piece) => {
    const records = parsePiece(piece.text, dialect);
    const items: ReadItem[] = [];
    for (let i = 0; i < records.length; i++) {
      const row = checkRow(headers, limits, piece.row + i, records[i] as string[]);
      if (row) items.push(itemOf(state, request, mapRow(map, row)));
    }
    return items;
  };
}
