/**
 * What a reader thread and its host say to each other (structured clone, in order). A
 * thread serves one file and is then stopped, so its heap goes with it.
 */
import type {
  BoundaryItem,
  HelpedItem,
  Piece,
  ReadItem,
  ReadRequest,
  RecordItem,
} from "../../imports/framework/plan/read-items";
import type { RowError } from "../../imports/types";

/**
 * The file arrives as text the host decoded (`textChunks`: size and encoding checked there):
 * strings live on the thread's heap, where its collector sees them, whereas byte buffers
 * handed over piled up outside it (~100 MB at a million rows).
 */
export type ToReader =
  /** `helped`: the thread may hand parsed pieces to the host to map (`help`). */
  | { type: "start"; request: ReadRequest; helped?: boolean }
  | { type: "text"; piece: string }
  | { type: "end" }
  /** The host took a batch: the thread may send one more. */
  | { type: "took" }
  /** The host mapped a piece handed to it: the thread may hand over one more. */
  | { type: "helped" };

export type SerializedError =
  | { app: true; code: string; message: string; extras: Record<string, unknown> }
  | { app: false; message: string; stack?: string };

export type FromReader =
  | { type: "items"; items: PackedItems }
  /** Piece `seq` for the host to map: its items take the place of the HelpedItem `seq`. */
  | { type: "help"; seq: number; piece: Piece }
  /** The thread took a piece: the host may send one more. */
  | { type: "more" }
  | { type: "done" }
  | { type: "error"; error: SerializedError };

/** Text pieces the host may send ahead, and item batches the thread may send ahead. */
export const piecesAhead = 8;
export const batchesAhead = 8;
/** Pieces a thread may have handed to the host whose items the planner has not taken yet. */
export const helpAhead = 3;

/**
 * A batch as it crosses threads: one array per property instead of an object per item, so
 * structured clone writes no property names per row (a third of the thread's time before).
 */
export interface PackedItems {
  rows: number[];
  /** "" for an item that is a row error or a boundary. */
  keys: string[];
  /** One string when every record's is the same (a kind with one entity). */
  entities: string[] | string;
  /** Null when every item's is "" (items without fields). */
  fields: string[] | null;
  /** What only some items carry, by index: a row error, a boundary, references, warnings, a problem. */
  rare: [
    number,
    (
      | Partial<Pick<RecordItem, "refs" | "warnings" | "problem">>
      | { error: RowError }
      | BoundaryItem
      | HelpedItem
    ),
  ][];
}

export function packItems(items: readonly (ReadItem | HelpedItem)[]): PackedItems {
  const entities: string[] = [];
  const fields: string[] = [];
  const packed = { rows: [] as number[], keys: [] as string[], rare: [] as PackedItems["rare"] };
  let entity: string | undefined;
  let sameEntity = true;
  let anyFields = false;
  items.forEach((item, index) => {
    if ("error" in item || "boundary" in item || "helped" in item) {
      packed.rows.push(0);
      packed.keys.push("");
      entities.push("");
      fields.push("");
      packed.rare.push([index, item]);
      return;
    }
    packed.rows.push(item.row);
    packed.keys.push(item.key);
    entities.push(item.entity);
    fields.push(item.fields);
    entity ??= item.entity;
    if (item.entity !== entity) sameEntity = false;
    if (item.fields !== "") anyFields = true;
    const { refs, warnings, problem } = item;
    if (refs || warnings || problem) {
      packed.rare.push([
        index,
        { ...(refs && { refs }), ...(warnings && { warnings }), ...(problem && { problem }) },
      ]);
    }
  });
  return {
    ...packed,
    entities: sameEntity && entity !== undefined ? entity : entities,
    fields: anyFields ? fields : null,
  };
}

export function unpackItems(packed: PackedItems): (ReadItem | HelpedItem)[] {
  const items: (ReadItem | HelpedItem)[] = new Array(packed.rows.length);
  const { entities, fields } = packed;
  for (let i = 0; i < packed.rows.length; i++) {
    items[i] = {
      row: packed.rows[i] as number,
      key: packed.keys[i] as string,
      entity: typeof entities === "string" ? entities : (entities[i] as string),
      fields: fields ? (fields[i] as string) : "",
    };
  }
  for (const [index, extra] of packed.rare) {
    items[index] =
      "error" in extra || "boundary" in extra || "helped" in extra
        ? extra
        : { ...(items[index] as RecordItem), ...extra };
  }
  return items;
}
