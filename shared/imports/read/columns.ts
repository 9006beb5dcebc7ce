/**
 * Header → target field. Each importer declares its fields and header aliases (compared
 * case- and punctuation-insensitively: "Primary email" = "primary_email" = "primaryEmail");
 * an explicit `mapping` entry (source header → field, "" to ignore the column) wins. Any
 * header left unresolved is a file-level `unknown_column` listing all of them.
 */
import type { FieldProblem } from "../../errors/app-error";
import { csvPointer, importProblem } from "./problems";

export interface ColumnSpec<F extends string> {
  fields: readonly F[];
  /** Normalized alias → field; every field name is also its own alias. */
  aliases: Readonly<Record<string, F>>;
  /** Each entry must be present: a field, or a list of which at least one must be. */
  required?: readonly (F | readonly F[])[];
}

export interface ResolvedColumns<F extends string> {
  /** Per column position: the target field, or null when the mapping ignores it. */
  targets: (F | null)[];
  /** Field → the header it came from (for RowError.column). */
  sourceOf: Partial<Record<F, string>>;
  has(field: F): boolean;
}

export const normalizeHeader = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

export function resolveColumns<F extends string>(
  headers: readonly string[],
  spec: ColumnSpec<F>,
  mapping: Record<string, string> = {},
): ResolvedColumns<F> {
  const fields = new Set<string>(spec.fields);
  const explicit = new Map<string, string>();
  for (const [source, target] of Object.entries(mapping)) {
    if (target !== "" && !fields.has(target)) {
      throw importProblem(
        "invalid_mapping",
        `The mapping sends "${source}" to "${target}", which is not a field.`,
        {
          hint: `Fields: ${spec.fields.join(", ")}; map a column to "" to ignore it.`,
        },
      );
    }
    explicit.set(source, target);
    explicit.set(normalizeHeader(source), target);
  }
  const targets: (F | null)[] = [];
  const sourceOf: Partial<Record<F, string>> = {};
  const unknown: string[] = [];
  for (const header of headers) {
    const mapped = explicit.get(header) ?? explicit.get(normalizeHeader(header));
    const target =
      mapped ?? spec.aliases[normalizeHeader(header)] ?? (fields.has(header) ? header : undefined);
    if (target === undefined) {
      unknown.push(header);
      targets.push(null);
      continue;
    }
    if (target === "") {
      targets.push(null);
      continue;
    }
    const field = target as F;
    const earlier = sourceOf[field];
    if (earlier !== undefined) {
      throw importProblem("duplicate_column", `Columns "${earlier}" and "${header}" both give ${field}.`, {
        row: 0,
        column: header,
        hint: `Map one of them to "" to ignore it.`,
      });
    }
    sourceOf[field] = header;
    targets.push(field);
  }
  if (unknown.length > 0) {
    const problems: FieldProblem[] = unknown.map((header) => ({
      pointer: csvPointer(0, header),
      in: "body",
      code: "unknown_column",
      message: `Unknown column "${header}".`,
    }));
    throw importProblem("unknown_column", `Unknown column(s): ${unknown.map((h) => `"${h}"`).join(", ")}.`, {
      row: 0,
      column: unknown[0],
      hint: `Known fields: ${spec.fields.join(", ")}. Map other columns with \`mapping\` ("" ignores one).`,
      more: problems.slice(1),
    });
  }
  for (const need of spec.required ?? []) {
    const options: readonly F[] = typeof need === "string" ? [need] : need;
    if (!options.some((field) => sourceOf[field] !== undefined)) {
      throw importProblem("missing_column", `The file has no ${options.join(" or ")} column.`, { row: 0 });
    }
  }
  return { targets, sourceOf, has: (field) => sourceOf[field] !== undefined };
}

/**
 * A row's cells keyed by target field (ignored columns dropped). The keys are the importer's
 * own field names, never header text from the file, so a plain object is safe here (and
 * much faster than a null-prototype one, which V8 keeps in dictionary mode).
 */
export function rowValues<F extends string>(
  columns: ResolvedColumns<F>,
  cells: readonly string[],
): Partial<Record<F, string>> {
  const values: Partial<Record<F, string>> = {};
  for (let position = 0; position < cells.length; position++) {
    const field = columns.targets[position];
    if (field) values[field] = cells[position];
  }
  return values;
}

/** Field → its column's position in a row, -1 where the file has no column for it. */
export function positionsOf<F extends string>(
  columns: ResolvedColumns<F>,
  spec: ColumnSpec<F>,
): Readonly<Record<F, number>> {
  const at = {} as Record<F, number>;
  for (const field of spec.fields) at[field] = columns.targets.indexOf(field);
  return at;
}

/** A ColumnSpec from field → extra header aliases (each field is always its own alias). */
export function defineColumns<F extends string>(
  aliases: Readonly<Record<F, readonly string[]>>,
  required?: readonly (NoInfer<F> | readonly NoInfer<F>[])[],
): ColumnSpec<F> {
  const fields = Object.keys(aliases) as F[];
  const table: Record<string, F> = Object.create(null);
  for (const field of fields) {
    for (const alias of [field, ...aliases[field]]) table[normalizeHeader(alias)] = field;
  }
  return required ? { fields, aliases: table, required } : { fields, aliases: table };
}
