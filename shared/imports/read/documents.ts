/**
 * Whole-document formats (JSON, SCIM JSON, YAML): read to a string within
 * `maxDocumentBytes`, parse with the guarded readers, then hand out the items.
 */
import type { ImportLimits } from "../limits";
import type { ImportFormat } from "../types";
import { parseJson } from "./json-reader";
import { importProblem } from "./problems";
import { type ImportBytes, readText } from "./text";
import { isObject } from "./tree";
import { parseYaml } from "./yaml-reader";

export async function readDocument(
  input: ImportBytes,
  format: ImportFormat,
  limits: ImportLimits,
): Promise<unknown> {
  const text = await readText(input, limits);
  if (text.trim() === "") throw importProblem("empty_file", "The file is empty.");
  return format === "yaml" ? parseYaml(text, limits) : parseJson(text, limits);
}

export interface DocumentItem {
  /** 1-based item index (the RowError row). */
  row: number;
  value: unknown;
}

/**
 * Items of a document: an array's elements, the array under one of `collectionKeys`, or a
 * lone object as one item. Throws `too_many_rows` past the limit.
 */
export function itemsOf(
  doc: unknown,
  collectionKeys: readonly string[],
  limits: ImportLimits,
): DocumentItem[] {
  let items: unknown[];
  if (Array.isArray(doc)) items = doc;
  else if (isObject(doc)) {
    const key = collectionKeys.find((name) => Array.isArray(doc[name]));
    items = key ? (doc[key] as unknown[]) : [doc];
  } else {
    throw importProblem("invalid_document", "The document is neither an object nor an array of objects.");
  }
  if (items.length > limits.maxRows) {
    throw importProblem(
      "too_many_rows",
      `The document has ${items.length} items; at most ${limits.maxRows} are accepted.`,
      {
        status: "payload_too_large",
        limit: limits.maxRows,
      },
    );
  }
  if (items.length === 0) throw importProblem("empty_file", "The document has no items.");
  return items.map((value, index) => ({ row: index + 1, value }));
}
