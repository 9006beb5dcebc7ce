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
import { Buffer } from "node:buffer";
import Papa from "papaparse";
import type { Boundary, Dialect } from "../../platform/import-reader-port";
import type { ImportLimits } from "../limits";
import type { RowError } from "../types";
import { importProblem } from "./problems";
import { type ImportBytes, textChunks } from "./text";

export type { Boundary, Dialect };

export type CsvRowResult = { ok: true; row: number; cells: string[] } | { ok: false; error: RowError };

/** The rows of one parsed piece of the file, and the boundary after its last record. */
export interface CsvRowBatch {
  rows: CsvRowResult[];
  end: Boundary;
  /**
   * The piece's records as text, from a record's start to just past its last record's line
   * end (`parsePiece` reads the same records from it), and the row of its first record.
   * Empty for the header's piece and the file's last one, which need not end a line.
   */
  text: string;
  row: number;
}

export interface CsvTable {
  /** Header names as written, trimmed. */
  headers: string[];
  dialect: Dialect;
  /** Where the first data row may start: just past the file's start (the header is row 0). */
  start: Boundary;
  /** The rows in batches, one per piece parsed: one async step per piece, not per row. */
  batches: AsyncIterable<CsvRowBatch>;
  /** The same rows one by one. Read `batches` or `rows`, not both. */
  rows: AsyncIterable<CsvRowResult>;
}

export const forbiddenKeys: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Consecutive records: `first` is the index of rows[0] (0 = the first line, blank lines
 * included); `end` the byte offset just past the last of them.
 */
interface RecordBatch {
  first: number;
  rows: string[][];
  end: number;
  /** The text of these records when they end at a line end, else "". */
  text: string;
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

const parserFor = (dialect: Dialect) => new Papa.Parser({ ...dialect, quoteChar: '"' });

/** UTF-8 length of a string, without encoding it. */
const utf8Length = (text: string) => Buffer.byteLength(text, "utf8");

/**
 * Records in batches (one per decoded piece): one async step per piece, not per row.
 * `origin.header` (set once the header is found) turns record indexes into row numbers.
 * With `dialect` given (a slice of a file read before) it is not detected again.
 */
export async function* csvRecords(
  input: ImportBytes,
  limits: ImportLimits,
  origin: { header: number; dialect?: Dialect },
  dialect?: Dialect,
): AsyncGenerator<RecordBatch> {
  let parser: Papa.Parser | undefined = dialect && parserFor(dialect);
  let head = "";
  let pending = "";
  let base = 0;
  let index = 0;
  /** Bytes of the text before `pending`. */
  let offset = 0;
  const cap = maxRecordChars(limits);

  function feed(text: string, final: boolean): RecordBatch {
    const first = index;
    if (!parser) return { first, rows: [], end: offset, text: "" };
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
    if (final) {
      offset += utf8Length(aggregate);
      pending = "";
      return { first, rows: result.data, end: offset, text: "" };
    }
    const consumed = result.meta.cursor - base;
    const records = aggregate.substring(0, consumed);
    offset += utf8Length(records);
    pending = aggregate.substring(consumed);
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
    return { first, rows: result.data, end: offset, text: records };
  }

  let first = true;
  for await (const piece of textChunks(input, limits)) {
    let text = piece;
    if (first && text.charCodeAt(0) === 0xfeff) {
      // The byte order mark is no data, but it counts in the byte offsets.
      offset = 3;
      text = text.slice(1);
    }
    first = false;
    if (parser) {
      yield feed(text, false);
      continue;
    }
    head += text;
    const detected = detectDialect(head, head.length > cap);
    if (!detected) continue;
    origin.dialect = detected;
    parser = parserFor(detected);
    yield feed(head, false);
    head = "";
  }
  if (!parser) {
    if (head.length === 0) return;
    origin.dialect = detectDialect(head, true) as Dialect;
    parser = parserFor(origin.dialect);
    pending = head;
  }
  yield feed("", true);
}

/**
 * The records of a piece's `text` (`CsvRowBatch`) parsed again on their own: the records
 * the piece gave, since the text starts at a record's start and ends at a line end.
 */
export function parsePiece(text: string, dialect: Dialect): string[][] {
  return (parserFor(dialect).parse(text, 0, true) as Papa.ParseResult<string[]>).data;
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
 * A record's cells as a row: a ragged row or an overlong value is a RowError, a blank line
 * null (skipped, keeping its number).
 */
export function checkRow(
  headers: readonly string[],
  limits: ImportLimits,
  row: number,
  cells: string[],
): CsvRowResult | null {
  if (cells.length !== headers.length) {
    if (isBlank(cells)) return null;
    const message = `Row ${row} has ${cells.length} values; the header has ${headers.length} columns.`;
    return {
      ok: false,
      error: { row, code: "ragged_row", message, hint: "Quote values that contain the delimiter." },
    };
  }
  let blank = true;
  let long = -1;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i] as string;
    if (long < 0 && cell.length > limits.maxFieldLength) long = i;
    if (blank && cell.trim() !== "") blank = false;
  }
  if (blank) return null;
  if (long < 0) return { ok: true, row, cells };
  const message = `The value is longer than ${limits.maxFieldLength} characters.`;
  return { ok: false, error: { row, column: headers[long] as string, code: "field_too_long", message } };
}

/**
 * Reads the header (throwing `empty_file` or a header problem), then streams the rows.
 * Blank lines are skipped; a header-only file throws `empty_file` at the end.
 */
export async function openCsv(input: ImportBytes, limits: ImportLimits): Promise<CsvTable> {
  const origin: { header: number; dialect?: Dialect } = { header: 0 };
  const records = csvRecords(input, limits, origin);
  let header: string[] | undefined;
  let rest: RecordBatch = { first: 0, rows: [], end: 0, text: "" };
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
    // The header's piece holds more than data rows: it keeps no text to parse again.
    rest = { first: origin.header + 1, rows: next.value.rows.slice(at + 1), end: next.value.end, text: "" };
  }
  const headers = (header ?? []).map((cell) => cell.trim());
  checkHeaders(headers, limits);

  async function* recordBatches(): AsyncGenerator<RecordBatch> {
    yield rest;
    yield* records;
  }

  async function* batches(): AsyncGenerator<CsvRowBatch> {
    let count = 0;
    for await (const batch of recordBatches()) {
      const rows: CsvRowResult[] = [];
      for (let i = 0; i < batch.rows.length; i++) {
        const row = batch.first + i - origin.header;
        const result = checkRow(headers, limits, row, batch.rows[i] ?? []);
        if (!result) continue;
        if (++count > limits.maxRows) {
          throw importProblem("too_many_rows", `The file has more than ${limits.maxRows} rows.`, {
            status: "payload_too_large",
            row,
            limit: limits.maxRows,
          });
        }
        rows.push(result);
      }
      yield {
        rows,
        end: { at: batch.end, row: batch.first + batch.rows.length - origin.header },
        text: batch.text,
        row: batch.first - origin.header,
      };
    }
    if (count === 0) throw importProblem("empty_file", "The file has a header but no data rows.");
  }

  async function* rows(): AsyncGenerator<CsvRowResult> {
    for await (const batch of batches()) yield* batch.rows;
  }
  return {
    headers,
    dialect: origin.dialect as Dialect,
    start: { at: 0, row: -origin.header },
    batches: batches(),
    rows: rows(),
  };
}
