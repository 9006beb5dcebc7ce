/**
 * graph: the service graph seed.
 * - JSON: `{ "entities": [...], "edges": [...] }` (either list may be missing), or an array
 *   of items, each an entity ({key, type, name, attributes?}) or an edge ({from, to, type,
 *   attributes?}). Rows number entities first, then edges continue the count.
 * - CSV: entities (key,type,name[,attributes as a JSON object]) or edges (from,to,type
 *   [,attributes]), told apart by the header.
 * Entity: key "entity:<key>", entity "entity". Edge: key "edge:<from>|<type>|<to>", entity
 * "edge", refs to both ends. Whether those ends exist is checkInFile's job (this file, then
 * the tenant through `knownKeys`): an edge to neither is `unknown_entity`.
 */
import { resolveLimits } from "../../limits";
import { normalizeHeader, resolveColumns, rowValues } from "../../read/columns";
import { openCsv } from "../../read/csv-reader";
import { readDocument } from "../../read/documents";
import { importProblem } from "../../read/problems";
import { isObject } from "../../read/tree";
import type { Importer, ImportInput, ReadResult } from "../../types";
import { checkFormat, type MapContext } from "../map";
import { csvAttributes, mapEdge, mapEntity } from "./map";
import { edgeColumns, entityColumns, type GraphFields } from "./schema";

export type { EdgeFields, EntityFields, GraphFields } from "./schema";

export const graphImporter: Importer<GraphFields> = {
  kind: "graph",
  version: "1",
  formats: ["json", "csv"],
  read(input: ImportInput): AsyncIterable<ReadResult<GraphFields>> {
    return readGraph(input);
  },
};

const isEdge = (value: unknown) => isObject(value) && ("from" in value || "to" in value);

async function* readGraph(input: ImportInput): AsyncGenerator<ReadResult<GraphFields>> {
  checkFormat("graph", input.format, graphImporter.formats);
  const limits = resolveLimits(input.limits);
  if (input.format === "csv") {
    yield* readGraphCsv(input, { limits });
    return;
  }
  const ctx: MapContext = { limits };
  const doc = await readDocument(input.bytes, input.format, limits);
  let items: unknown[];
  if (Array.isArray(doc)) items = doc;
  else if (isObject(doc) && Object.keys(doc).every((key) => key === "entities" || key === "edges")) {
    const list = (name: string) => (Array.isArray(doc[name]) ? (doc[name] as unknown[]) : []);
    items = [...list("entities"), ...list("edges")];
  } else {
    throw importProblem(
      "invalid_document",
      'Expected {"entities": [...], "edges": [...]} or an array of items.',
    );
  }
  if (items.length === 0) throw importProblem("empty_file", "The document has no entities or edges.");
  if (items.length > limits.maxRows) {
    throw importProblem("too_many_rows", `The document has more than ${limits.maxRows} items.`, {
      status: "payload_too_large",
      limit: limits.maxRows,
    });
  }
  for (const [index, item] of items.entries()) {
    yield isEdge(item) ? mapEdge(ctx, index + 1, item) : mapEntity(ctx, index + 1, item);
  }
}

async function* readGraphCsv(input: ImportInput, base: MapContext): AsyncGenerator<ReadResult<GraphFields>> {
  const table = await openCsv(input.bytes, base.limits);
  const edges = table.headers.some((h) => ["from", "source", "src"].includes(normalizeHeader(h)));
  const spec = edges ? edgeColumns : entityColumns;
  const columns = resolveColumns<string>(table.headers, spec, input.mapping);
  const ctx: MapContext = { ...base, columnOf: (field) => columns.sourceOf[field] };
  for await (const result of table.rows) {
    if (!result.ok) {
      yield result;
      continue;
    }
    const values = rowValues(columns, result.cells);
    const attributes = csvAttributes(ctx, result.row, values.attributes);
    if (!attributes.ok) {
      yield attributes.result;
      continue;
    }
    const item: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(values)) {
      if (field !== "attributes" && value?.trim()) item[field] = value.trim();
    }
    if (attributes.value !== undefined) item.attributes = attributes.value;
    yield edges ? mapEdge(ctx, result.row, item) : mapEntity(ctx, result.row, item);
  }
}
