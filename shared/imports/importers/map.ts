/**
 * The map step's shared parts: zod issues → RowErrors with stable codes, and the final
 * touch on every record (overlong values rejected, formula-like values flagged).
 */
import type { z } from "zod";
import type { ImportLimits } from "../limits";
import { scanFields } from "../read/formulas";
import { importProblem, pointerOf } from "../read/problems";
import type { ImportFormat, MappedRecord, ReadResult, RowError } from "../types";

export interface MapContext {
  limits: ImportLimits;
  /** CSV: target field → the header it came from. Documents leave it out (columns are JSON Pointers). */
  columnOf?: (field: string) => string | undefined;
}

export function columnFor(ctx: MapContext, path: readonly PropertyKey[]): string | undefined {
  const segments = path.map((segment) =>
    typeof segment === "symbol" ? String(segment.description) : segment,
  );
  if (segments.length === 0) return undefined;
  if (ctx.columnOf) return ctx.columnOf(String(segments[0])) ?? String(segments[0]);
  return pointerOf(segments);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function codeOf(issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case "custom":
      return typeof issue.params?.code === "string" ? issue.params.code : "invalid_value";
    case "invalid_type":
      return valueAt(input, issue.path) == null ? "missing_value" : "invalid_value";
    case "invalid_format":
      return issue.format === "email" ? "invalid_email" : "invalid_value";
    case "unrecognized_keys":
      return "unknown_field";
    default:
      return "invalid_value";
  }
}

export function issueError(ctx: MapContext, row: number, issue: z.core.$ZodIssue, input: unknown): RowError {
  const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0] ?? ""] : issue.path;
  const code = codeOf(issue, input);
  const message = code === "missing_value" ? "A value is required." : issue.message;
  const error: RowError = { row, code, message };
  const column = columnFor(ctx, path);
  if (column !== undefined) error.column = column;
  return error;
}

/** A rejected row from a failed zod parse: the first issue, the others summed up in the hint. */
export function zodReject<T>(ctx: MapContext, row: number, error: z.ZodError, input: unknown): ReadResult<T> {
  const [first, ...rest] = error.issues;
  if (!first) return { ok: false, error: { row, code: "invalid_value", message: error.message } };
  const rowError = issueError(ctx, row, first, input);
  if (rest.length > 0) {
    const others = rest.slice(0, 3).map((issue) => {
      const column = columnFor(ctx, issue.path);
      return column ? `${column}: ${issue.message}` : issue.message;
    });
    rowError.hint = `Also: ${others.join("; ")}${rest.length > 3 ? `; and ${rest.length - 3} more` : ""}.`;
  }
  return { ok: false, error: rowError };
}

/** Rejects overlong values, flags formula-like ones, and wraps the record. */
const columnIn = (ctx: MapContext, name: string) => ctx.columnOf?.(name) ?? name;

export function finish<T>(ctx: MapContext, record: MappedRecord<T>): ReadResult<T> {
  const scan = scanFields(record.fields, ctx.limits.maxFieldLength);
  if (scan.tooLong !== undefined) {
    return {
      ok: false,
      error: {
        row: record.row,
        column: columnIn(ctx, scan.tooLong),
        code: "field_too_long",
        message: `The value is longer than ${ctx.limits.maxFieldLength} characters.`,
      },
    };
  }
  if (scan.warnings.length === 0) return { ok: true, value: record };
  const warnings = scan.warnings.map((warning) =>
    warning.column === undefined ? warning : { ...warning, column: columnIn(ctx, warning.column) },
  );
  return { ok: true, value: { ...record, warnings } };
}

export function checkFormat(kind: string, format: ImportFormat, formats: readonly ImportFormat[]): void {
  if (formats.includes(format)) return;
  throw importProblem("unsupported_format", `The ${kind} importer does not read ${format}.`, {
    status: "unsupported_media_type",
    hint: `Formats: ${formats.join(", ")}.`,
  });
}

/** A CSV cell as a value: trimmed, "" → null. */
export const cell = (value: string | undefined): string | null => {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
};

/** Parses importer options with a zod schema; a bad option is a file-level `invalid_option`. */
export function parseOptions<S extends z.ZodType>(schema: S, options: unknown): z.output<S> {
  const parsed = schema.safeParse(options ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw importProblem(
    "invalid_option",
    `Import option ${pointerOf(issue?.path.map(String) ?? [])}: ${issue?.message}`,
    {
      pointer: "",
    },
  );
}
