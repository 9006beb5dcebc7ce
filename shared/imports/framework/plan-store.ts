/**
 * Plan rows live in the object store as NDJSON, one object per class and `rowsPerChunk`
 * rows: `<prefix>/<class>/<n>.ndjson`. A create/update object is also one commit chunk.
 * Memory holds at most one unfinished object per class.
 */

import { Buffer } from "node:buffer";
import type { PlanCounts, PlanFiles } from "../../db/schema";
import { AppError } from "../../errors/app-error";
import type { ObjectStore } from "../../platform/ports";
import { byteChunks } from "../read/text";
import type { RowWarning } from "../types";
import { type PlanRow, type RowClass, rowClasses } from "./types";

export const defaultRowsPerChunk = 5_000;
/** Plan objects being written at once while a dry run goes on. */
const writesAhead = 2;

export const planObjectKey = (prefix: string, rowClass: RowClass, file: number) =>
  `${prefix}/${rowClass}/${file}.ndjson`;

export interface PlanWriter {
  /** A promise only when the row filled an object and it is being written. */
  add(row: PlanRow): Promise<void> | undefined;
  /** The same for a row already serialized, as the parts of its line (`createLineParts`). */
  addLine(action: RowClass, parts: readonly string[]): Promise<void> | undefined;
  /** Writes what is buffered; returns objects per class and counts. */
  finish(): Promise<{ files: PlanFiles; counts: PlanCounts }>;
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

export function planWriter(store: ObjectStore, prefix: string, rowsPerChunk: number): PlanWriter {
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
  function flush(rowClass: RowClass, buffer: NdjsonBuffer): Promise<void> | undefined {
    // Fails once the writes still in flight have landed, so nothing is written after the dry run ends.
    if (failure) return failed(failure);
    if (buffer.rows === 0) return undefined;
    const key = planObjectKey(prefix, rowClass, files[rowClass]);
    files[rowClass] += 1;
    const { body, buffer: written } = buffer.take();
    const write: Promise<void> = store
      .put(key, body, { contentType: "application/x-ndjson" })
      .then(
        () => {
          // Buffers in flight plus one filling are all a dry run ever needs.
          if (spare.length <= writesAhead) spare.push(written);
        },
        (error: unknown) => {
          failure ??= { error };
        },
      )
      .finally(() => writing.delete(write));
    writing.add(write);
    return writing.size >= writesAhead ? Promise.race(writing) : undefined;
  }

  const addLine = (action: RowClass, parts: readonly string[]) => {
    counts.total += 1;
    counts[action] += 1;
    const buffer = buffers.get(action) as NdjsonBuffer;
    buffer.push(parts);
    return buffer.rows >= rowsPerChunk ? flush(action, buffer) : undefined;
  };
  return {
    add: (row) => addLine(row.action, [JSON.stringify(row)]),
    addLine,
    async finish() {
      for (const [rowClass, buffer] of buffers) if (!failure) flush(rowClass, buffer);
      await Promise.all(writing);
      if (failure) await failed(failure);
      return { files, counts };
    },
  };
}

type NewRecord = { row: number; key: string; entity: string; fields: string; warnings?: RowWarning[] };

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

/** One plan object's NDJSON: whole, or line by line as it streams. Each read opens it anew. */
export interface PlanObject {
  text(): Promise<string>;
  /** The non-empty lines, decoded piece by piece: the object is never in memory whole. */
  lines(): AsyncIterable<string>;
}

export function planObject(store: ObjectStore, prefix: string, rowClass: RowClass, file: number): PlanObject {
  const open = async () => {
    const object = await store.get(planObjectKey(prefix, rowClass, file));
    if (!object) {
      throw new AppError("internal", `Plan object ${rowClass}/${file} is missing from the object store.`);
    }
    return object;
  };
  return {
    text: async () => (await open()).text(),
    async *lines() {
      const decoder = new TextDecoder();
      let carry = "";
      // byteChunks: 64 KiB slices, and the object closed when the reader stops early (a
      // COPY that failed midway).
      for await (const slice of byteChunks((await open()).body)) {
        const text = carry + decoder.decode(slice, { stream: true });
        let start = 0;
        for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", start)) {
          if (end > start) yield text.slice(start, end);
          start = end + 1;
        }
        carry = text.slice(start);
      }
      carry += decoder.decode();
      if (carry !== "") yield carry;
    },
  };
}

/** The rows of one plan object, in order. */
export async function readPlanObject(
  store: ObjectStore,
  prefix: string,
  rowClass: RowClass,
  file: number,
): Promise<PlanRow[]> {
  const rows: PlanRow[] = [];
  for await (const line of planObject(store, prefix, rowClass, file).lines())
    rows.push(JSON.parse(line) as PlanRow);
  return rows;
}

/** Every row of a class, object by object (one object in memory at a time). */
export async function* planRows(
  store: ObjectStore,
  prefix: string,
  files: PlanFiles,
  rowClass: RowClass,
): AsyncGenerator<PlanRow[]> {
  for (let file = 0; file < files[rowClass]; file++) yield readPlanObject(store, prefix, rowClass, file);
}
