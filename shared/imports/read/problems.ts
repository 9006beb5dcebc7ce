/**
 * File-level import problems are AppErrors (one `errors[]` entry each, with a stable
 * snake_case `code`); row-level ones are RowErrors. Pointers: for CSV "/<row>" or
 * "/<row>/<column>" with row 0 the header; for JSON/YAML a JSON Pointer into the document.
 */
import { AppError, type FieldProblem } from "../../errors/app-error";
import type { RowError } from "../types";

export interface ProblemOptions {
  /** "payload_too_large" for size and count limits; "unprocessable" (default) for content; "conflict" for stored state. */
  status?: "unprocessable" | "payload_too_large" | "unsupported_media_type" | "conflict";
  pointer?: string;
  row?: number;
  column?: string;
  hint?: string;
  limit?: number;
  /** Further entries for `errors[]`, e.g. one per unknown column. */
  more?: FieldProblem[];
}

export function escapePointer(segment: string | number): string {
  return String(segment).replaceAll("~", "~0").replaceAll("/", "~1");
}

export function pointerOf(path: readonly (string | number)[]): string {
  return path.map((segment) => `/${escapePointer(segment)}`).join("");
}

export function csvPointer(row: number, column?: string): string {
  return column === undefined ? pointerOf([row]) : pointerOf([row, column]);
}

export function importProblem(code: string, message: string, options: ProblemOptions = {}): AppError {
  const pointer =
    options.pointer ?? (options.row === undefined ? "" : csvPointer(options.row, options.column));
  const errors: FieldProblem[] = [{ pointer, in: "body", code, message }, ...(options.more ?? [])];
  const extras: Record<string, unknown> = { errors, importCode: code };
  if (options.row !== undefined) extras.row = options.row;
  if (options.column !== undefined) extras.column = options.column;
  if (options.hint !== undefined) extras.hint = options.hint;
  if (options.limit !== undefined) extras.limit = options.limit;
  return new AppError(options.status ?? "unprocessable", message, extras);
}

/** The RowErrors (row 0 unless the problem names a row) for a file-level problem, e.g. for the reject manifest. */
export function rowErrorsOf(error: AppError): RowError[] {
  const row = typeof error.extras.row === "number" ? error.extras.row : 0;
  const hint = typeof error.extras.hint === "string" ? error.extras.hint : undefined;
  const problems = error.extras.errors ?? [];
  return problems.map((problem, index) => {
    const rowError: RowError = { row: index === 0 ? row : 0, code: problem.code, message: problem.message };
    if (index === 0 && typeof error.extras.column === "string") rowError.column = error.extras.column;
    if (index === 0 && hint !== undefined) rowError.hint = hint;
    return rowError;
  });
}
