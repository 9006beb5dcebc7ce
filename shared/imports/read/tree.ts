/**
 * Checks on a parsed JSON/YAML tree, iteratively (a hostile document cannot overflow the
 * stack here): nesting depth and keys that could reach an object's prototype.
 */
import type { ImportLimits } from "../limits";
import type { JsonValue } from "../types";
import { forbiddenKeys } from "./csv-reader";
import { importProblem, pointerOf } from "./problems";

export function tooDeep(limit: number, pointer: string) {
  return importProblem("too_deep", `The document nests deeper than ${limit} levels.`, {
    pointer,
    limit,
    hint: "Flatten the structure; imports accept at most this many nested arrays/objects.",
  });
}

export function forbiddenKey(key: string, pointer: string) {
  return importProblem("forbidden_key", `The key "${key}" is not accepted anywhere in an import.`, {
    pointer,
  });
}

/** Throws `too_deep` or `forbidden_key` (with the JSON Pointer of the offending place). */
export function inspectTree(root: unknown, limits: Pick<ImportLimits, "maxNesting">): void {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value, path } = next;
    if (value === null || typeof value !== "object") continue;
    if (path.length + 1 > limits.maxNesting) throw tooDeep(limits.maxNesting, pointerOf(path));
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        stack.push({ value: item, path: [...path, index] });
      });
      continue;
    }
    for (const key of Object.keys(value)) {
      if (forbiddenKeys.has(key)) throw forbiddenKey(key, pointerOf([...path, key]));
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
}

/** Narrowing helpers for parsed documents. */
export const isObject = (value: unknown): value is Record<string, JsonValue> =>
  value !== null && typeof value === "object" && !Array.isArray(value);
