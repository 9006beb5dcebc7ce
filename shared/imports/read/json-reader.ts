/**
 * JSON documents. Before `JSON.parse` a single iterative pass over the text checks nesting
 * depth (so 10,000 nested brackets are refused without recursion), keys that could reach a
 * prototype (`__proto__`, `constructor`, `prototype`) and duplicate keys in one object
 * (JSON.parse would keep the last silently). Each problem carries the JSON Pointer.
 */
import type { ImportLimits } from "../limits";
import { forbiddenKeys } from "./csv-reader";
import { importProblem, pointerOf } from "./problems";
import { forbiddenKey, inspectTree, tooDeep } from "./tree";

interface Frame {
  kind: "object" | "array";
  /** Object: keys seen; array: unused. */
  keys: Set<string>;
  /** Object: the key being read or last read; array: index of the current element. */
  at: string | number;
  expectKey: boolean;
}

const pathOf = (stack: Frame[]) => stack.map((frame) => frame.at);

/** Finds the index of the closing quote of the string starting at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 92) i++;
    else if (code === 34) return i;
  }
  return -1;
}

/** The structural pre-check; malformed JSON is left for JSON.parse to name. */
export function scanJson(text: string, limits: Pick<ImportLimits, "maxNesting">): void {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (code === 34) {
      const end = stringEnd(text, i);
      if (end < 0) return;
      if (top?.kind === "object" && top.expectKey) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, end + 1)) as string;
        } catch {
          return;
        }
        top.at = key;
        top.expectKey = false;
        if (forbiddenKeys.has(key)) throw forbiddenKey(key, pointerOf(pathOf(stack)));
        if (top.keys.has(key)) {
          throw importProblem("duplicate_key", `The object has the key "${key}" twice.`, {
            pointer: pointerOf(pathOf(stack)),
          });
        }
        top.keys.add(key);
      }
      i = end;
    } else if (code === 123 || code === 91) {
      if (stack.length + 1 > limits.maxNesting) throw tooDeep(limits.maxNesting, pointerOf(pathOf(stack)));
      stack.push(
        code === 123
          ? { kind: "object", keys: new Set(), at: "", expectKey: true }
          : { kind: "array", keys: new Set(), at: 0, expectKey: false },
      );
    } else if (code === 125 || code === 93) {
      stack.pop();
    } else if (code === 44 && top) {
      if (top.kind === "object") top.expectKey = true;
      else top.at = (top.at as number) + 1;
    }
  }
}

export function parseJson(text: string, limits: Pick<ImportLimits, "maxNesting">): unknown {
  scanJson(text, limits);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : "invalid JSON";
    throw importProblem("invalid_json", `The file is not valid JSON: ${detail}`, {
      hint: "Check for a trailing comma, a missing quote or a missing bracket near the position given.",
    });
  }
  inspectTree(value, limits);
  return value;
}
