/**
 * Constraints that need the whole file, applied after mapping:
 * - a natural key given twice: the later row is rejected (`duplicate_key`, naming the first);
 * - references (`refs`) that must resolve: to a record of this file, or else to a key
 *   `knownKeys` reports as existing (tenant state, sibling files). A reference to a key
 *   that is in neither is `unknown_entity` (graph) / `unknown_reference` (others).
 *
 * Streams: a record whose references are already satisfied is passed on at once; one that
 * points forward (or outside the file) is held until the end, then passed or rejected. So
 * output order can differ from file order; sort by `row` if that matters.
 *
 * `InFileCheck` is the synchronous core (one call per record, no promise per row), used by
 * the dry run on batches; `checkInFile` wraps it for a stream of ReadResults.
 */
import type { ImportKind, MappedRecord, ReadResult, Reference, RowError } from "../types";
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

/** What the check needs of a record: its row, its natural key and what it points at. */
export interface Keyed {
  row: number;
  key: string;
  refs?: Reference[];
}

const held = Object.freeze({ held: true });
const passed = Object.freeze({ held: false });

const referenceCode = (ref: Reference) => (ref.kind === "graph" ? "unknown_entity" : "unknown_reference");

export class InFileCheck<R extends Keyed> {
  private readonly checked: ReadonlySet<ImportKind>;
  private readonly firstRow = new KeyIndex();
  private readonly held: R[] = [];

  constructor(private readonly options: InFileCheckOptions) {
    this.checked = new Set<ImportKind>([options.kind, ...(options.alsoCheck ?? [])]);
  }

  private resolved(ref: Reference): boolean {
    return ref.kind === this.options.kind && this.firstRow.has(ref.key);
  }

  /** Room for `records` records in all: the key index is sized once rather than grown. */
  reserve(records: number): void {
    this.firstRow.reserve(records);
  }

  /** A later row of a key already seen: its error. Otherwise whether the record waits for the end (`held`). */
  take(record: R): { error: RowError } | { held: boolean } {
    const first = this.firstRow.add(record.key, record.row);
    if (first !== undefined) {
      return {
        error: {
          row: record.row,
          code: "duplicate_key",
          message: `${record.key} is already given at row ${first}.`,
          hint: "Keep one row per key; the first one is used.",
        },
      };
    }
    for (const ref of record.refs ?? []) {
      if (this.checked.has(ref.kind) && !this.resolved(ref)) {
        this.held.push(record);
        return held;
      }
    }
    return passed;
  }

  /** The held records, each passed or rejected now that the whole file has been seen. */
  async finish(): Promise<({ ok: true; value: R } | { ok: false; error: RowError })[]> {
    const missing = new Map<ImportKind, Set<string>>();
    for (const record of this.held) {
      for (const ref of record.refs ?? []) {
        if (!this.checked.has(ref.kind) || this.resolved(ref)) continue;
        const keys = missing.get(ref.kind) ?? new Set<string>();
        keys.add(ref.key);
        missing.set(ref.kind, keys);
      }
    }
    const known = new Map<ImportKind, Set<string>>();
    if (this.options.knownKeys) {
      for (const [kind, keys] of missing) {
        known.set(kind, new Set(await this.options.knownKeys(kind, [...keys])));
      }
    }
    return this.held.map((record) => {
      const unknown = (record.refs ?? []).find(
        (ref) => this.checked.has(ref.kind) && !this.resolved(ref) && !known.get(ref.kind)?.has(ref.key),
      );
      if (!unknown) return { ok: true, value: record };
      return {
        ok: false,
        error: {
          row: record.row,
          column: unknown.column,
          code: referenceCode(unknown),
          message: `${unknown.column} refers to ${unknown.key}, which is neither in this import nor already known.`,
          hint: "Import the referenced item first, or in the same file.",
        },
      };
    });
  }
}

export async function* checkInFile<T>(
  results: AsyncIterable<ReadResult<T>> | Iterable<ReadResult<T>>,
  options: InFileCheckOptions,
): AsyncGenerator<ReadResult<T>> {
  const check = new InFileCheck<MappedRecord<T>>(options);
  for await (const result of results) {
    if (!result.ok) {
      yield result;
      continue;
    }
    const verdict = check.take(result.value);
    if ("error" in verdict) yield { ok: false, error: verdict.error };
    else if (!verdict.held) yield result;
  }
  yield* await check.finish();
}

/** Every referenced key per kind, e.g. to preload what `knownKeys` will be asked. */
export function referencedKeys(records: Iterable<Keyed>): Map<ImportKind, Set<string>> {
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
