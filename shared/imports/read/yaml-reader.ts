/**
 * YAML documents through the `yaml` package with its safe defaults kept: YAML 1.2 core
 * schema, unique keys, no custom tags, no merge keys, alias expansion capped. Known
 * YAML 1.1 tags (!!binary, !!set, !!timestamp, …) are not resolved either, so any explicit
 * tag beyond the core ones is `unsupported_tag`. Several `---` documents become an array.
 */
import { type Document, isMap, isPair, isSeq, type ParsedNode, parseAllDocuments } from "yaml";
import type { ImportLimits } from "../limits";
import { importProblem } from "./problems";
import { inspectTree, tooDeep } from "./tree";
import { estimateYamlDepth } from "./yaml-depth";

type Limits = Pick<ImportLimits, "maxNesting" | "maxAliases">;

const at = (error: { linePos?: [{ line: number; col: number }, ...unknown[]] }) =>
  error.linePos ? ` (line ${error.linePos[0].line}, column ${error.linePos[0].col})` : "";

function checkProblems(doc: Document.Parsed, limits: Limits): void {
  for (const error of doc.errors) {
    const where = at(error);
    if (error.code === "RESOURCE_EXHAUSTION") throw tooDeep(limits.maxNesting, "");
    if (error.code === "DUPLICATE_KEY") {
      throw importProblem("duplicate_key", `A mapping has the same key twice${where}.`);
    }
    throw importProblem(
      "invalid_yaml",
      `The file is not valid YAML${where}: ${error.message.split("\n")[0]}`,
    );
  }
  for (const warning of doc.warnings) {
    if (warning.code === "TAG_RESOLVE_FAILED") {
      throw importProblem("unsupported_tag", `${warning.message.split(" at line")[0]}${at(warning)}.`, {
        hint: "Remove explicit tags such as !!js/function, !!binary or custom !tags; plain values are enough.",
      });
    }
  }
}

/** Depth of the node tree, iteratively, before anything recursive (toJS) walks it. */
function checkDepth(root: ParsedNode | null, limits: Limits): void {
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { node, depth } = next;
    if (isMap(node) || isSeq(node)) {
      if (depth + 1 > limits.maxNesting) throw tooDeep(limits.maxNesting, "");
      for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
    } else if (isPair(node)) {
      stack.push({ node: node.key, depth }, { node: node.value, depth });
    }
  }
}

export function parseYaml(text: string, limits: Limits): unknown {
  // Guard the recursive parser; the exact limit is checked on the node tree below.
  const ceiling = limits.maxNesting * 2 + 16;
  if (estimateYamlDepth(text, ceiling) > ceiling) throw tooDeep(limits.maxNesting, "");
  const parsed = parseAllDocuments(text, {
    version: "1.2",
    schema: "core",
    customTags: null,
    resolveKnownTags: false,
    merge: false,
    uniqueKeys: true,
    strict: true,
  });
  const values: unknown[] = [];
  // A stream of comments only is an empty list; the caller then reports `empty_file`.
  for (const doc of parsed) {
    checkProblems(doc, limits);
    checkDepth(doc.contents, limits);
    try {
      values.push(doc.toJS({ maxAliasCount: limits.maxAliases }));
    } catch (error) {
      if (error instanceof ReferenceError && /alias/i.test(error.message)) {
        throw importProblem(
          "too_many_aliases",
          `The document expands more than ${limits.maxAliases} aliases.`,
          {
            limit: limits.maxAliases,
            hint: "Write the values out instead of repeating them through anchors (&) and aliases (*).",
          },
        );
      }
      if (error instanceof RangeError) throw tooDeep(limits.maxNesting, "");
      throw error;
    }
  }
  const value = values.length === 1 ? values[0] : values;
  inspectTree(value, limits);
  return value;
}
