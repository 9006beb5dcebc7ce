/**
 * Reading a file through an importer's `CsvRowMapper`: the CSV's row batches mapped
 * synchronously, one async step per parsed piece, with the boundary after each batch (where
 * a later slice of the file can start reading).
 */
import { resolveLimits } from "../limits";
import { type Boundary, type Dialect, openCsv } from "../read/csv-reader";
import type { CsvRowMapper, ImportInput, ReadResult } from "../types";

export interface MappedBatch<T> {
  results: ReadResult<T>[];
  end: Boundary;
}

export interface MappedCsv<T> {
  headers: string[];
  dialect: Dialect;
  /** Before the first data row (the file's start). */
  start: Boundary;
  batches: AsyncIterable<MappedBatch<T>>;
}

export async function openMappedCsv<T>(input: ImportInput, mapper: CsvRowMapper<T>): Promise<MappedCsv<T>> {
  const limits = resolveLimits(input.limits);
  const table = await openCsv(input.bytes, limits);
  const map = mapper.columns(table.headers, input, limits);
  async function* batches(): AsyncGenerator<MappedBatch<T>> {
    for await (const batch of table.batches) {
      const results: ReadResult<T>[] = new Array(batch.rows.length);
      for (let i = 0; i < batch.rows.length; i++) {
        const row = batch.rows[i] as (typeof batch.rows)[number];
        results[i] = row.ok ? map(row.row, row.cells) : row;
      }
      yield { results, end: batch.end };
    }
  }
  return { headers: table.headers, dialect: table.dialect, start: table.start, batches: batches() };
}

/** The importer's `read` for such a mapper: the same results, one by one. */
export async function* readMappedCsv<T>(
  input: ImportInput,
  mapper: CsvRowMapper<T>,
): AsyncGenerator<ReadResult<T>> {
  const csv = await openMappedCsv(input, mapper);
  for await (const batch of csv.batches) yield* batch.results;
}
