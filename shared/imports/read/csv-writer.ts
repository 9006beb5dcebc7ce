/**
 * CSV out (the reject manifest, exports). A cell that a spreadsheet would run as a formula
 * (starting with = + - @ tab CR LF) gets a leading apostrophe and is quoted. The RegExp
 * form of `escapeFormulae` on purpose: `true` misses a value starting with "=" that
 * contains a newline. Everything else reads back unchanged through openCsv.
 */
import Papa from "papaparse";
import type { RowError } from "../types";

export const formulaPrefix = /^[=+\-@\t\r\n]/;

export type CsvCell = string | number | boolean | null | undefined;

const unparseConfig: Papa.UnparseConfig = {
  escapeFormulae: formulaPrefix,
  newline: "\r\n",
  delimiter: ",",
  quoteChar: '"',
  header: false,
};

/** One CSV line (no line ending) for the cells, for writing a large manifest piece by piece. */
export function csvLine(cells: readonly CsvCell[]): string {
  // A one-cell row of "" would come out as an empty (blank, skipped) line: quote it.
  if (cells.length === 1 && (cells[0] === "" || cells[0] === null || cells[0] === undefined)) return '""';
  return Papa.unparse([cells.map((cell) => cell ?? "")], unparseConfig);
}

/** A whole CSV document: header line, then one line per row, CRLF line ends, trailing CRLF. */
export function writeCsv(headers: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const lines = [csvLine(headers)];
  for (const row of rows) lines.push(csvLine(row));
  return `${lines.join("\r\n")}\r\n`;
}

export const rowErrorHeaders = ["row", "column", "code", "message", "hint"] as const;

/** The reject manifest as CSV: one line per RowError. */
export function rowErrorsCsv(errors: Iterable<RowError>): string {
  const rows: CsvCell[][] = [];
  for (const error of errors) rows.push([error.row, error.column, error.code, error.message, error.hint]);
  return writeCsv(rowErrorHeaders, rows);
}
