/**
 * Constraints that need the whole file, applied after mapping:
 * - a natural key given twice: the later row is rejected (`duplicate_key`, naming the first);
 * - references (`MappedRecord.refs`) that must resolve: to a record of this file, or else to
 *   a key `knownKeys` reports as existing (tenant state, sibling files). A reference to a key
 *   that is in neither is `unknown_entity` (graph) / `unknown_reference` (others).
 *
 * Streams: a record whose references are already satisfied is passed on at once; one that
 * points forward (or outside the file) is held until the end, then passed or rejected. So
 * output order can differ from file order; sort by `row` if that matters.
 */
import type { ImportKind, MappedRecord, ReadResult, Reference } from "../types";
import { KeyIndex } from "./key-index";

export interface InFileCheckOptions {
  /** The import's kind: references to it are checked (graph edges → entities). */
  kind: ImportKind;
  /** Also check references to these other kinds (each held to the end; mind memory on big files). */
  alsoCheck?: readonly ImportKind[];
  /**
   * Which of `keys` (of `kind`, not defined in this file) already exist. Called at most once
   * per kind, at the end. Without it, such references are rejected.
   */
  knownKeys?: (kind: ImportKind, keys: string[]) => Iterable<string> | Promise<Iterable<string>>;
}

/** No reference of a checked kind is still open (a loop: this runs once per row). */
function isSettled(
  record: MappedRecord<unknown>,
  checked: ReadonlySet<ImportKind>,
  resolved: (ref: Reference) => boolean,
): boolean {
  for (const ref of record.refs ?? []) if (checked.has(ref.kind) && !resolved(ref)) return false;
  return true;
}

const referenceCode = (ref: Reference) => (ref.kind === "graph" ? "unknown_entity" : "unknown_reference");

export async function* checkInFile<T>(
  results: AsyncIterable<ReadResult<T>> | Iterable<ReadResult<T>>,
  options: InFileCheckOptions,
): AsyncGenerator<ReadResult<T>> {
  const checked = new Set<ImportKind>([options.kind, ...(options.alsoCheck ?? [])]);
  const firstRow = new KeyIndex();
  const held: MappedRecord<T>[] = [];
  const resolved = (ref: Reference) => ref.kind === options.kind && firstRow.has(ref.key);

  for await (const result of results) {
    if (!result.ok) {
      yield result;
      continue;
    }
    const record = result.value;
    const first = firstRow.get(record.key);
    if (first !== undefined) {
      yield {
        ok: false,
        error: {
          row: record.row,
          code: "duplicate_key",
          message: `${record.key} is already given at row ${first}.`,
          hint: "Keep one row per key; the first one is used.",
        },
      };
      continue;
    }
    firstRow.set(record.key, record.row);
    if (isSettled(record, checked, resolved)) yield result;
    else held.push(record);
  }

  const missing = new Map<ImportKind, Set<string>>();
  for (const record of held) {
    for (const ref of record.refs ?? []) {
      if (!checked.has(ref.kind) || resolved(ref)) continue;
      const keys = missing.get(ref.kind) ?? new Set<string>();
      keys.add(ref.key);
      missing.set(ref.kind, keys);
    }
  }
  const known = new Map<ImportKind, Set<string>>();
  if (options.knownKeys) {
    for (const [kind, keys] of missing) known.set(kind, new Set(await options.knownKeys(kind, [...keys])));
  }
  for (const record of held) {
    const unknown = (record.refs ?? []).find(
      (ref) => checked.has(ref.kind) && !resolved(ref) && !known.get(ref.kind)?.has(ref.key),
    );
    if (!unknown) {
      yield { ok: true, value: record };
      continue;
    }
    yield {
      ok: false,
      error: {
        row: record.row,
        column: unknown.column,
        code: referenceCode(unknown),
        message: `${unknown.column} refers to ${unknown.key}, which is neither in this import nor already known.`,
        hint: "Import the referenced item first, or in the same file.",
      },
    };
  }
}

/** Every referenced key per kind, e.g. to preload what `knownKeys` will be asked. */
export function referencedKeys(records: Iterable<MappedRecord<unknown>>): Map<ImportKind, Set<string>> {
  const out = new Map<ImportKind, Set<string>>();
  for (const record of records) {
    for (const ref of record.refs ?? []) {
      const keys = out.get(ref.kind) ?? new Set<string>();
      keys.add(ref.key);
      out.set(ref.kind, keys);
    }
  }
  return out;
}
