/**
 * Plan rows live in the object store as NDJSON, one object per class and `rowsPerChunk`
 * rows: `<prefix>/<class>/<n>.ndjson`. A create/update object is also one commit chunk.
 * Memory holds at most one unfinished object per class. A plan whose source can be sliced
 * (a `sourceLayout`) keeps its create rows as slice descriptors instead (source-slices.ts).
 */

import { Buffer } from "node:buffer";
import type { ImportPlan, PlanCounts, PlanFiles } from "../../../db/schema";
import type { ObjectStore } from "../../../platform/ports";
import { byteChunks } from "../../read/text";
import type { RowWarning } from "../../types";
import { type SlicedPlan, SliceWriter, sliceKey, sliceRows } from "../sources/source-slices";
import { type PlanRow, type RowClass, rowClasses } from "../types";
import { planObjectMissing } from "./plan-missing";
import type { BoundaryItem, SourceLayout } from "./read-items";

export const defaultRowsPerChunk = 5_000;
/** Plan objects being written at once while a dry run goes on. */
const writesAhead = 2;

export const planObjectKey = (prefix: string, rowClass: RowClass, file: number) =>
  `${prefix}/${rowClass}/${file}.ndjson`;

export interface PlanWriter {
  /** Whether create rows are kept as slices of the source (the reader sends boundaries). */
  readonly sliced: boolean;
  /** A promise only when the row filled an object and it is being written. */
  add(row: PlanRow): Promise<void> | undefined;
  /** The same for a new record, as read: its line (`createLineParts`), or its row in a slice. */
  addNew(record: NewRecord, decisionId: string): Promise<void> | undefined;
  /** A record boundary of the source (sliced plans). */
  boundary(item: BoundaryItem): Promise<void> | undefined;
  /** Writes what is buffered; returns objects per class, counts and, when sliced, the layout. */
  finish(): Promise<{ files: PlanFiles; counts: PlanCounts; layout: SourceLayout | null }>;
}

/**
 * One object's NDJSON, encoded as rows arrive into a growing byte buffer: rows do not stay
 * on the JS heap as strings until the object is written (that kept the collector busy). A
 * line may come in parts, written one after the other (no joined string per row). A full
 * object's buffer goes to the store as it is and comes back to `spare` once written, so a
 * large dry run reuses a few buffers instead of leaving a megabyte per object to the
 * collector.
 */
class NdjsonBuffer {
  private bytes: Buffer;
  length = 0;
  rows = 0;

  constructor(private readonly spare: Buffer[]) {
    this.bytes = spare.pop() ?? Buffer.allocUnsafe(64 * 1024);
  }

  push(parts: readonly string[]) {
    let needed = this.length + 1;
    for (const part of parts) needed += part.length * 3;
    if (needed > this.bytes.byteLength) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.byteLength * 2));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    for (const part of parts) this.length += this.bytes.write(part, this.length);
    this.bytes[this.length++] = 10;
    this.rows += 1;
  }

  /** The object so far and the buffer holding it (for `spare` once written); this starts anew. */
  take(): { body: Uint8Array; buffer: Buffer } {
    const buffer = this.bytes;
    const body = buffer.subarray(0, this.length);
    this.bytes = this.spare.pop() ?? Buffer.allocUnsafe(buffer.byteLength);
    this.length = 0;
    this.rows = 0;
    return { body, buffer };
  }
}

export function planWriter(
  store: ObjectStore,
  prefix: string,
  rowsPerChunk: number,
  options: { sliced?: boolean } = {},
): PlanWriter {
  const spare: Buffer[] = [];
  const buffers = new Map<RowClass, NdjsonBuffer>(rowClasses.map((c) => [c, new NdjsonBuffer(spare)]));
  const files = Object.fromEntries(rowClasses.map((c) => [c, 0])) as PlanFiles;
  const counts: PlanCounts = { total: 0, create: 0, update: 0, unchanged: 0, reject: 0, conflict: 0 };

  // Objects are written while rows go on arriving: a promise (to wait on) only once
  // `writesAhead` writes are in flight. The first failed write fails the next flush or finish.
  const writing = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const failed = (reason: { error: unknown }) =>
    Promise.all(writing).then(() => {
      throw reason.error;
    });
  /** Writes one plan object, `writesAhead` at a time; `written` runs once the store has it. */
  function put(
    key: string,
    body: Uint8Array | string,
    contentType: string,
    written?: () => void,
  ): Promise<void> | undefined {
    // Fails once the writes still in flight have landed, so nothing is written after the dry run ends.
    if (failure) return failed(failure);
    const write: Promise<void> = store
      .put(key, body, { contentType })
      .then(written, (error: unknown) => {
        failure ??= { error };
      })
      .finally(() => writing.delete(write));
    writing.add(write);
    return writing.size >= writesAhead ? Promise.race(writing) : undefined;
  }

  function flush(rowClass: RowClass, buffer: NdjsonBuffer): Promise<void> | undefined {
    if (failure) return failed(failure);
    if (buffer.rows === 0) return undefined;
    const key = planObjectKey(prefix, rowClass, files[rowClass]);
    files[rowClass] += 1;
    const { body, buffer: written } = buffer.take();
    // Buffers in flight plus one filling are all a dry run ever needs.
    return put(key, body, "application/x-ndjson", () => {
      if (spare.length <= writesAhead) spare.push(written);
    });
  }

  let layout: SourceLayout | null = null;
  const slices =
    options.sliced === true
      ? new SliceWriter(rowsPerChunk, (descriptor) => {
          const key = sliceKey(prefix, files.create);
          files.create += 1;
          return put(key, JSON.stringify(descriptor), "application/json");
        })
      : undefined;

  const addLine = (action: RowClass, parts: readonly string[]) => {
    counts.total += 1;
    counts[action] += 1;
    const buffer = buffers.get(action) as NdjsonBuffer;
    buffer.push(parts);
    return buffer.rows >= rowsPerChunk ? flush(action, buffer) : undefined;
  };
  const addSliced = (slicer: SliceWriter, row: number) => {
    counts.total += 1;
    counts.create += 1;
    slicer.add(row);
    return failure ? failed(failure) : undefined;
  };
  return {
    sliced: slices !== undefined,
    add: (row) =>
      slices && row.action === "create"
        ? addSliced(slices, row.row)
        : addLine(row.action, [JSON.stringify(row)]),
    addNew: (record, decisionId) =>
      slices ? addSliced(slices, record.row) : addLine("create", createLineParts(record, decisionId)),
    boundary(item) {
      if (!slices) return undefined;
      if (item.layout) layout = item.layout;
      return slices.boundary(item.boundary);
    },
    async finish() {
      if (slices && !failure) slices.finish();
      for (const [rowClass, buffer] of buffers) if (!failure) flush(rowClass, buffer);
      await Promise.all(writing);
      if (failure) await failed(failure);
      return { files, counts, layout };
    },
  };
}

export type NewRecord = { row: number; key: string; entity: string; fields: string; warnings?: RowWarning[] };

/**
 * The plan line of a record created as read, in three parts around its fields' JSON: the
 * same text as `JSON.stringify` of the PlanRow (same keys, same order), without parsing the
 * fields back or joining the line.
 */
export function createLineParts(record: NewRecord, decisionId: string): [string, string, string] {
  const head = `{"row":${record.row},"key":${JSON.stringify(record.key)},"entity":${JSON.stringify(record.entity)},"action":"create","fields":`;
  const warnings = record.warnings ? `,"warnings":${JSON.stringify(record.warnings)}` : "";
  return [head, record.fields, `,"decisionId":${JSON.stringify(decisionId)},"decision":"allow"${warnings}}`];
}

/** One plan object's rows, in batches as it streams: the object is never in memory whole. */
export interface PlanObject {
  rows(): AsyncIterable<PlanRow[]>;
}

/** What reading a plan's objects needs of the plan. */
export type StoredPlan = Pick<
  ImportPlan,
  "id" | "tenantId" | "kind" | "sourceSha256" | "options" | "decisionId" | "objectPrefix" | "sourceLayout"
>;

export function planObject(
  store: ObjectStore,
  plan: StoredPlan,
  rowClass: RowClass,
  file: number,
): PlanObject {
  const { sourceLayout } = plan;
  if (rowClass === "create" && sourceLayout) {
    const sliced: SlicedPlan = { ...plan, sourceLayout };
    return { rows: () => sliceRows(store, sliced, file) };
  }
  const key = planObjectKey(plan.objectPrefix, rowClass, file);
  return { rows: () => ndjsonRows(store, key, plan.id, `${rowClass}/${file}`) };
}

async function* ndjsonRows(
  store: ObjectStore,
  key: string,
  planId: string,
  name: string,
): AsyncGenerator<PlanRow[]> {
  const object = await store.get(key);
  if (!object) throw planObjectMissing({ id: planId }, name);
  const decoder = new TextDecoder();
  let carry = "";
  // byteChunks: 64 KiB slices, and the object closed when the reader stops early (a
  // COPY that failed midway).
  for await (const slice of byteChunks(object.body)) {
    const text = carry + decoder.decode(slice, { stream: true });
    const rows: PlanRow[] = [];
    let start = 0;
    for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", start)) {
      if (end > start) rows.push(JSON.parse(text.slice(start, end)) as PlanRow);
      start = end + 1;
    }
    carry = text.slice(start);
    if (rows.length > 0) yield rows;
  }
  carry += decoder.decode();
  if (carry !== "") yield [JSON.parse(carry) as PlanRow];
}

/** The rows of one plan object, in order. */
export async function readPlanObject(
  store: ObjectStore,
  plan: StoredPlan,
  rowClass: RowClass,
  file: number,
): Promise<PlanRow[]> {
  const rows: PlanRow[] = [];
  for await (const batch of planObject(store, plan, rowClass, file).rows()) rows.push(...batch);
  return rows;
}

/** Every row of a class, object by object (one object in memory at a time). */
export async function* planRows(
  store: ObjectStore,
  plan: StoredPlan & Pick<ImportPlan, "files">,
  rowClass: RowClass,
): AsyncGenerator<PlanRow[]> {
  for (let file = 0; file < plan.files[rowClass]; file++) yield readPlanObject(store, plan, rowClass, file);
}
