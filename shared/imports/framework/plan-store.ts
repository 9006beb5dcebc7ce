/**
 * Plan rows live in the object store as NDJSON, one object per class and `rowsPerChunk`
 * rows: `<prefix>/<class>/<n>.ndjson`. A create/update object is also one commit chunk.
 * Memory holds at most one unfinished object per class.
 */
import type { PlanCounts, PlanFiles } from "../../db/schema";
import { AppError } from "../../errors/app-error";
import type { ObjectStore } from "../../platform/ports";
import { type PlanRow, type RowClass, rowClasses } from "./types";

export const defaultRowsPerChunk = 5_000;

export const planObjectKey = (prefix: string, rowClass: RowClass, file: number) =>
  `${prefix}/${rowClass}/${file}.ndjson`;

export interface PlanWriter {
  /** A promise only when the row filled an object and it is being written. */
  add(row: PlanRow): Promise<void> | undefined;
  /** Writes what is buffered; returns objects per class and counts. */
  finish(): Promise<{ files: PlanFiles; counts: PlanCounts }>;
}

export function planWriter(store: ObjectStore, prefix: string, rowsPerChunk: number): PlanWriter {
  const buffers = new Map<RowClass, string[]>(rowClasses.map((c) => [c, []]));
  const files = Object.fromEntries(rowClasses.map((c) => [c, 0])) as PlanFiles;
  const counts: PlanCounts = { total: 0, create: 0, update: 0, unchanged: 0, reject: 0, conflict: 0 };

  async function flush(rowClass: RowClass) {
    const lines = buffers.get(rowClass) ?? [];
    if (lines.length === 0) return;
    buffers.set(rowClass, []);
    const key = planObjectKey(prefix, rowClass, files[rowClass]);
    files[rowClass] += 1;
    await ctxPut(store, key, `${lines.join("\n")}\n`);
  }

  return {
    add(row) {
      counts.total += 1;
      counts[row.action] += 1;
      const lines = buffers.get(row.action) ?? [];
      lines.push(JSON.stringify(row));
      buffers.set(row.action, lines);
      return lines.length >= rowsPerChunk ? flush(row.action) : undefined;
    },
    async finish() {
      for (const rowClass of rowClasses) await flush(rowClass);
      return { files, counts };
    },
  };
}

const ctxPut = (store: ObjectStore, key: string, text: string) =>
  store.put(key, text, { contentType: "application/x-ndjson" });

/** The rows of one plan object, in order. */
export async function readPlanObject(
  store: ObjectStore,
  prefix: string,
  rowClass: RowClass,
  file: number,
): Promise<PlanRow[]> {
  const object = await store.get(planObjectKey(prefix, rowClass, file));
  if (!object) {
    throw new AppError("internal", `Plan object ${rowClass}/${file} is missing from the object store.`);
  }
  const text = await object.text();
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as PlanRow);
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
