/** Graph items → records. Entity key "entity:<key>"; edge key "edge:<from>|<type>|<to>", with refs to both ends. */
import { parseJson } from "../../read/json-reader";
import type { ReadResult } from "../../types";
import { finish, type MapContext, zodReject } from "../map";
import { type EdgeFields, type EntityFields, edgeSource, entitySource, type GraphFields } from "./schema";

export const entityRecordKey = (key: string) => `entity:${key}`;

export function mapEntity(ctx: MapContext, row: number, value: unknown): ReadResult<GraphFields> {
  const parsed = entitySource.safeParse(value);
  if (!parsed.success) return zodReject(ctx, row, parsed.error, value);
  const { key, type, name, attributes = {} } = parsed.data;
  const fields: EntityFields = { key, type, name, attributes };
  return finish(ctx, { row, key: entityRecordKey(key), entity: "entity", fields });
}

export function mapEdge(ctx: MapContext, row: number, value: unknown): ReadResult<GraphFields> {
  const parsed = edgeSource.safeParse(value);
  if (!parsed.success) return zodReject(ctx, row, parsed.error, value);
  const { from, to, type, attributes = {} } = parsed.data;
  const column = (field: string) => ctx.columnOf?.(field) ?? (ctx.columnOf ? field : `/${field}`);
  if (from === to) {
    return {
      ok: false,
      error: { row, column: column("to"), code: "self_edge", message: `${from} cannot point at itself.` },
    };
  }
  const fields: EdgeFields = { from, to, type, attributes };
  return finish(ctx, {
    row,
    key: `edge:${from}|${type}|${to}`,
    entity: "edge",
    fields,
    refs: [
      { column: column("from"), kind: "graph", key: entityRecordKey(from) },
      { column: column("to"), kind: "graph", key: entityRecordKey(to) },
    ],
  });
}

/**
 * A CSV row's `attributes` cell is a JSON object (or empty), parsed with the same guards as
 * a JSON file; a problem there rejects the row, not the file.
 */
export function csvAttributes(
  ctx: MapContext,
  row: number,
  text: string | undefined,
): { ok: true; value: unknown } | { ok: false; result: ReadResult<GraphFields> } {
  if (text === undefined || text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: parseJson(text, ctx.limits) };
  } catch (error) {
    const message = error instanceof Error ? error.message : "Not valid JSON.";
    const code = (error as { extras?: { importCode?: unknown } }).extras?.importCode;
    return {
      ok: false,
      result: {
        ok: false,
        error: {
          row,
          column: ctx.columnOf?.("attributes") ?? "attributes",
          code: typeof code === "string" ? code : "invalid_json",
          message,
          hint: 'Write attributes as a JSON object, e.g. {"tier": 1}.',
        },
      },
    };
  }
}
