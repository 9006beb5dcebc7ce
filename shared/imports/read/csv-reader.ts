/**
 * Streaming CSV: decoded text pieces go through PapaParse's low-level `Parser` one piece at a
 * time (the same partial-line carry-over as its own ChunkStreamer), so a large file is never
 * one string. `header: false` on purpose: PapaParse's header mode silently drops a column
 * named `__proto__`, so the header is read as a plain row and checked here.
 *
 * File-level problems throw (empty file, header problems, unclosed/malformed quotes, which
 * leave row boundaries unknowable, too many rows); row problems (ragged rows, overlong
 * values) are yielded as RowErrors and reading goes on.
 */
import Papa from "papaparse";
import type { ImportLimits } from "../limits";
import type { RowError } from "../types";
import { importProblem } from "./problems";
import { type ImportBytes, textChunks } from "./text";

export type CsvRowResult = { ok: true; row: number; cells: string[] } | { ok: false; error: RowError };

export interface CsvTable {
  /** Header names as written, trimmed. */
  headers: string[];
  rows: AsyncIterable<CsvRowResult>;
}

export const forbiddenKeys: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Consecutive records: `first` is the index of rows[0] (0 = the first line, blank lines included). */
interface RecordBatch {
  first: number;
  rows: string[][];
}

interface Dialect {
  newline: "\n" | "\r\n" | "\r";
  delimiter: "," | ";" | "\t";
}

/**
 * The line ending and delimiter of the first line, read outside quotes; undefined until
 * the text holds a whole first line (or `final`).
 */
export function detectDialect(text: string, final: boolean): Dialect | undefined {
  let quoted = false;
  const counts = { ",": 0, ";": 0, "\t": 0 };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (ch === "," || ch === ";" || ch === "\t") counts[ch]++;
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && i + 1 === text.length && !final) return undefined;
      const newline = ch === "\n" ? "\n" : text[i + 1] === "\n" ? "\r\n" : "\r";
      return { newline, delimiter: pickDelimiter(counts) };
    }
  }
  return final ? { newline: "\n", delimiter: pickDelimiter(counts) } : undefined;
}

function pickDelimiter(counts: Record<Dialect["delimiter"], number>): Dialect["delimiter"] {
  if (counts[","] > 0) return ",";
  if (counts["\t"] > 0) return "\t";
  return counts[";"] > 0 ? ";" : ",";
}

/** Longest text one record may take: every column at the field limit, quoted, plus separators. */
const maxRecordChars = (limits: ImportLimits) => limits.maxColumns * (limits.maxFieldLength * 2 + 3) + 2;

/**
 * Records in batches (one per decoded piece): one async step per piece, not per row.
 * `origin.header` (set once the header is found) turns record indexes into row numbers.
 */
async function* csvRecords(
  input: ImportBytes,
  limits: ImportLimits,
  origin: { header: number },
): AsyncGenerator<RecordBatch> {
  let parser: Papa.Parser | undefined;
  let head = "";
  let pending = "";
  let base = 0;
  let index = 0;
  const cap = maxRecordChars(limits);

  function feed(text: string, final: boolean): RecordBatch {
    const first = index;
    if (!parser) return { first, rows: [] };
    const aggregate = pending + text;
    const result = parser.parse(aggregate, base, !final) as Papa.ParseResult<string[]>;
    const quoteError = result.errors.find(
      (error) => error.row !== undefined && error.row < result.data.length,
    );
    if (quoteError?.row !== undefined) {
      const row = index + quoteError.row - origin.header;
      const unclosed = quoteError.code === "MissingQuotes";
      throw importProblem(
        unclosed ? "unclosed_quote" : "malformed_quote",
        unclosed
          ? `Row ${row} opens a quoted value that is never closed.`
          : `Row ${row} has a quote inside a quoted value that is not doubled ("").`,
        { row, hint: 'Inside a quoted value write a quote as two quotes (""); close every quoted value.' },
      );
    }
    index += result.data.length;
    if (!final) {
      pending = aggregate.substring(result.meta.cursor - base);
      base = result.meta.cursor;
      if (pending.length > cap) {
        const row = index - origin.header;
        const unclosed = (pending.match(/"/g)?.length ?? 0) % 2 === 1;
        throw importProblem(
          unclosed ? "unclosed_quote" : "row_too_long",
          unclosed
            ? `Row ${row} opens a quoted value that is not closed within ${cap} characters.`
            : `Row ${row} is longer than ${cap} characters.`,
          { row, status: unclosed ? "unprocessable" : "payload_too_large" },
        );
      }
    }
    return { first, rows: result.data };
  }

  for await (const text of textChunks(input, limits)) {
    if (parser) {
      yield feed(text, false);
      continue;
    }
    head += text;
    const dialect = detectDialect(head, head.length > cap);
    if (!dialect) continue;
    parser = new Papa.Parser({ ...dialect, quoteChar: '"' });
    yield feed(head, false);
    head = "";
  }
  if (!parser) {
    if (head.length === 0) return;
    const dialect = detectDialect(head, true) ?? { newline: "\n", delimiter: "," };
    parser = new Papa.Parser({ ...dialect, quoteChar: '"' });
    pending = head;
  }
  yield feed("", true);
}

const isBlank = (cells: string[]) => cells.every((cell) => cell.trim() === "");

function checkHeaders(headers: string[], limits: ImportLimits): void {
  if (headers.length > limits.maxColumns) {
    throw importProblem(
      "too_many_columns",
      `The header has ${headers.length} columns; at most ${limits.maxColumns} are accepted.`,
      {
        status: "payload_too_large",
        row: 0,
        limit: limits.maxColumns,
      },
    );
  }
  const seen = new Set<string>();
  headers.forEach((name, position) => {
    if (forbiddenKeys.has(name)) {
      throw importProblem("forbidden_key", `A column may not be named "${name}".`, { row: 0, column: name });
    }
    if (name === "") {
      throw importProblem("blank_column_name", `Column ${position + 1} of the header has no name.`, {
        row: 0,
      });
    }
    if (seen.has(name)) {
      throw importProblem("duplicate_column", `The header names "${name}" twice.`, { row: 0, column: name });
    }
    seen.add(name);
  });
}

/**
 * Reads the header (throwing `empty_file` or a header problem), then streams the rows.
 * Blank lines are skipped; a header-only file throws `empty_file` at the end.
 */
export async function openCsv(input: ImportBytes, limits: ImportLimits): Promise<CsvTable> {
  const origin = { header: 0 };
  const records = csvRecords(input, limits, origin);
  let header: string[] | undefined;
  let rest: RecordBatch = { first: 0, rows: [] };
  while (!header) {
    const next = await records.next();
    if (next.done) {
      throw importProblem("empty_file", "The file is empty.", {
        hint: "Include a header row and at least one data row.",
      });
    }
    const at = next.value.rows.findIndex((cells) => !isBlank(cells));
    if (at < 0) continue;
    header = next.value.rows[at];
    origin.header = next.value.first + at;
    rest = { first: origin.header + 1, rows: next.value.rows.slice(at + 1) };
  }
  const headers = (header ?? []).map((cell) => cell.trim());
  checkHeaders(headers, limits);

  async function* batches(): AsyncGenerator<RecordBatch> {
    yield rest;
    yield* records;
  }

  async function* rows(): AsyncGenerator<CsvRowResult> {
    let count = 0;
    for await (const batch of batches()) {
      for (let i = 0; i < batch.rows.length; i++) {
        const cells = batch.rows[i] ?? [];
        if (isBlank(cells)) continue;
        const row = batch.first + i - origin.header;
        if (++count > limits.maxRows) {
          throw importProblem("too_many_rows", `The file has more than ${limits.maxRows} rows.`, {
            status: "payload_too_large",
            row,
            limit: limits.maxRows,
          });
        }
        if (cells.length !== headers.length) {
          const message = `Row ${row} has ${cells.length} values; the header has ${headers.length} columns.`;
          yield {
            ok: false,
            error: { row, code: "ragged_row", message, hint: "Quote values that contain the delimiter." },
          };
          continue;
        }
        const long = cells.findIndex((cell) => cell.length > limits.maxFieldLength);
        if (long >= 0) {
          const column = headers[long];
          const message = `The value is longer than ${limits.maxFieldLength} characters.`;
          yield { ok: false, error: { row, column, code: "field_too_long", message } };
          continue;
        }
        yield { ok: true, row, cells };
      }
    }
    if (count === 0) throw importProblem("empty_file", "The file has a header but no data rows.");
  }
  return { headers, rows: rows() };
}
