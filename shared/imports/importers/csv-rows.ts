/**
 * Reading a file through an importer's `CsvRowMapper`: the CSV's row batches, one async step
 * per parsed piece, each with the boundary after it (where a later slice of the file can
 * start reading) and its text (which another thread can map: read-items.ts), and the row
 * mapper for them.
 */
import { resolveLimits } from "../limits";
import {
  type Boundary,
  type CsvRowBatch,
  type CsvRowResult,
  type Dialect,
  openCsv,
} from "../read/csv-reader";
import type { CsvRowMapper, ImportInput, MapRow, ReadResult } from "../types";

export interface MappedCsv<T> {
  headers: string[];
  dialect: Dialect;
  /** Before the first data row (the file's start). */
  start: Boundary;
  batches: AsyncIterable<CsvRowBatch>;
  map: MapRow<T>;
}

export async function openMappedCsv<T>(input: ImportInput, mapper: CsvRowMapper<T>): Promise<MappedCsv<T>> {
  const limits = resolveLimits(input.limits);
  const table = await openCsv(input.bytes, limits);
  const map = mapper.columns(table.headers, input, limits);
  return { headers: table.headers, dialect: table.dialect, start: table.start, batches: table.batches, map };
}

/** One checked row mapped; a row error stays as it is. */
export const mapRow = <T>(map: MapRow<T>, row: CsvRowResult): ReadResult<T> =>
  row.ok ? map(row.row, row.cells) : row;

/** The importer's `read` for such a mapper: the results one by one. */
export async function* readMappedCsv<T>(
  input: ImportInput,
  mapper: CsvRowMapper<T>,
): AsyncGenerator<ReadResult<T>> {
  const csv = await openMappedCsv(input, mapper);
  for await (const batch of csv.batches) for (const row of batch.rows) yield mapRow(csv.map, row);
}
