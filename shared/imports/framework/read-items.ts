/**
 * The reading half of a dry run: importer → state module `check` and `project` → items in
 * batches, each record's stored fields already serialized as JSON. Everything here is pure
 * CPU on the file, with no database, so it can run beside the planner in another thread
 * (`ImportReader`, Node) or inline (Workers); the batches are the same either way.
 */
import { importers } from "../importers";
import type { ImportLimits } from "../limits";
import type { ImportBytes } from "../read/text";
import { stateModules } from "../state";
import type { ImportFormat, ImportKind, Reference, RowError, RowWarning } from "../types";

export interface ReadRequest {
  kind: ImportKind;
  format: ImportFormat;
  mapping: Record<string, string>;
  options: Record<string, unknown>;
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

export type ReadItem = RecordItem | { error: RowError };

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

export async function* readItems(request: ReadRequest, bytes: ImportBytes): AsyncGenerator<ReadItem[]> {
  const state = stateModules[request.kind];
  const results = importers[request.kind].read({
    bytes,
    format: request.format,
    mapping: request.mapping,
    options: request.options,
    limits: request.limits,
  });
  let batch: ReadItem[] = [];
  for await (const result of results) {
    if (!result.ok) batch.push({ error: result.error });
    else {
      const record = result.value;
      const item: RecordItem = {
        row: record.row,
        key: record.key,
        entity: record.entity,
        fields: JSON.stringify(state.project(record)),
      };
      // Only references to the import's own kind are checked in the file (graph edges).
      if (record.refs?.some((ref) => ref.kind === request.kind)) {
        item.refs = record.refs.filter((ref) => ref.kind === request.kind);
      }
      if (record.warnings) item.warnings = record.warnings;
      const problem = state.check?.(record);
      if (problem) item.problem = problem;
      batch.push(item);
    }
    if (batch.length >= itemsPerBatch) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
