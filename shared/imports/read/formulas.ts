/**
 * Values a spreadsheet would run as a formula are kept exactly as data (imports never
 * evaluate anything); the record only carries a `formula_like` warning for each, and the CSV
 * writer neutralises them on the way out.
 */
import type { RowWarning } from "../types";
import { pointerOf } from "./problems";

/** csv-writer's `formulaPrefix` (= + - @ tab CR LF first), tested on the first character's code. */
export const isFormulaLike = (value: string) => {
  const c = value.charCodeAt(0);
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 || c === 10;
};

export interface FieldScan {
  warnings: RowWarning[];
  /** The first string longer than the limit, as a column (top-level field) or a JSON Pointer. */
  tooLong?: string;
}

const formulaWarning = (column: string): RowWarning => ({
  column,
  code: "formula_like",
  message: "Kept as text; it would run as a formula in a spreadsheet.",
});

const nothingFound: FieldScan = Object.freeze({ warnings: Object.freeze([]) as unknown as RowWarning[] });

/** Whether a flat record has nothing to report (the common case), without allocating. */
function flatAndClean(fields: unknown, maxFieldLength: number): boolean {
  if (fields === null || typeof fields !== "object" || Array.isArray(fields)) return false;
  for (const key in fields) {
    const value = (fields as Record<string, unknown>)[key];
    if (typeof value === "string") {
      if (value.length > maxFieldLength || isFormulaLike(value)) return false;
    } else if (value !== null && typeof value === "object") return false;
  }
  return true;
}

/**
 * Walks `fields` iteratively: formula-like strings and overlong strings. A scan that finds
 * nothing is one shared, frozen answer.
 */
export function scanFields(fields: unknown, maxFieldLength: number): FieldScan {
  if (flatAndClean(fields, maxFieldLength)) return nothingFound;
  const warnings: RowWarning[] = [];
  let tooLong: string | undefined;
  const stack: { value: unknown; path: (string | number)[] }[] = [];
  // Top level by hand: most records are flat, and this runs once per row.
  if (fields !== null && typeof fields === "object" && !Array.isArray(fields)) {
    for (const key in fields) {
      const value = (fields as Record<string, unknown>)[key];
      if (typeof value === "string") {
        if (value.length > maxFieldLength) tooLong ??= key;
        if (isFormulaLike(value)) warnings.push(formulaWarning(key));
      } else if (value !== null && typeof value === "object") stack.push({ value, path: [key] });
    }
    stack.reverse();
  } else stack.push({ value: fields, path: [] });
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value, path } = next;
    if (typeof value === "string") {
      const column = path.length === 1 ? String(path[0]) : pointerOf(path);
      if (value.length > maxFieldLength) tooLong ??= column;
      if (isFormulaLike(value)) warnings.push(formulaWarning(column));
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
    } else if (value !== null && typeof value === "object") {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i] as [string, unknown];
        stack.push({ value: item, path: [...path, key] });
      }
    }
  }
  return tooLong === undefined ? { warnings } : { warnings, tooLong };
}
