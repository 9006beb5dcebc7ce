/**
 * Create rows kept as slices of the source. For a CSV importer with a row mapper
 * (`Importer.csv`), a new row's plan line would only repeat what the file says: the plan
 * keeps, per create chunk, a small descriptor instead — a byte range of the source (from
 * one record boundary to a later one), the row number at its start, and which of its rows
 * the plan creates. The source is stored by its SHA-256 and never rewritten, so a commit,
 * a revert or a plan page reads those rows again with the same importer version, header,
 * dialect, mapping and limits, and gets the plan rows the dry run saw.
 *
 * A row that does not read back as a record, or a count that differs, fails the read: the
 * source no longer reads as planned (a changed object), and nothing is applied from it.
 */
import type { ImportPlan } from "../../../db/schema";
import { AppError } from "../../../errors/app-error";
import type { ObjectStore } from "../../../platform/ports";
import { type Boundary, checkRow, csvRecords } from "../../read/csv-reader";
import { stateOf } from "../../registry";
import type { ImportKind } from "../../types";
import { planObjectMissing } from "../plan/plan-missing";
import { layoutMapper, type SourceLayout } from "../plan/read-items";
import type { Fields, PlanRow } from "../types";
import { sourceKey } from "./sources";

export interface SliceDescriptor {
  /** Bytes [start, end) of the source. */
  start: number;
  end: number;
  /** The row number of the record at `start` (negative before the header, which is row 0). */
  row: number;
  /** The rows the plan creates, as ascending inclusive ranges. */
  rows: [number, number][];
  count: number;
}

export const sliceKey = (prefix: string, file: number) => `${prefix}/create/${file}.slice.json`;

interface OpenSlice {
  start: Boundary;
  rows: [number, number][];
  count: number;
}

/**
 * Builds the descriptors as the planner goes: rows arrive in file order between the
 * boundaries. A slice starts at the last boundary before its first row, takes
 * `rowsPerChunk` rows, and ends at the first boundary after its last one (so two slices may
 * share the piece between, each reading only its own rows there).
 */
export class SliceWriter {
  private last: Boundary | undefined;
  private open: OpenSlice | undefined;
  private full: OpenSlice[] = [];

  constructor(
    private readonly rowsPerChunk: number,
    /** Writes one descriptor as the next create object; a promise only when the writer says to wait. */
    private readonly write: (descriptor: SliceDescriptor) => Promise<void> | undefined,
  ) {}

  boundary(at: Boundary): Promise<void> | undefined {
    this.last = at;
    const full = this.full;
    this.full = [];
    let wait: Promise<void> | undefined;
    for (const slice of full) wait = this.write(descriptorOf(slice, at.at)) ?? wait;
    return wait;
  }

  add(row: number): void {
    const last = this.last;
    if (!last || row < last.row) {
      throw new Error(`import plan: create row ${row} is not after the last boundary (row ${last?.row})`);
    }
    this.open ??= { start: last, rows: [], count: 0 };
    const slice = this.open;
    const range = slice.rows.at(-1);
    if (range && range[1] === row - 1) range[1] = row;
    else slice.rows.push([row, row]);
    slice.count += 1;
    if (slice.count >= this.rowsPerChunk) {
      this.full.push(slice);
      this.open = undefined;
    }
  }

  /** The rows left: the file's last boundary (its end) closes them. */
  finish(): Promise<void> | undefined {
    if (this.full.length > 0 || this.open) {
      if (!this.last) throw new Error("import plan: slices without a boundary");
      const end = this.last.at;
      const rest = this.open ? [...this.full, this.open] : this.full;
      this.full = [];
      this.open = undefined;
      let wait: Promise<void> | undefined;
      for (const slice of rest) wait = this.write(descriptorOf(slice, end)) ?? wait;
      return wait;
    }
    return undefined;
  }
}

function descriptorOf(slice: OpenSlice, end: number): SliceDescriptor {
  return { start: slice.start.at, end, row: slice.start.row, rows: slice.rows, count: slice.count };
}

export type SlicedPlan = Pick<
  ImportPlan,
  "id" | "tenantId" | "kind" | "sourceSha256" | "options" | "decisionId" | "objectPrefix"
> & { sourceLayout: SourceLayout };

const unreadable = (plan: SlicedPlan, file: number, why: string) =>
  new AppError(
    "internal",
    `Create rows ${file} of plan ${plan.id} no longer read from source ${plan.sourceSha256} as planned: ${why}.`,
  );

/** The create rows of one slice, re-read from the source, in batches. */
export async function* sliceRows(
  store: ObjectStore,
  plan: SlicedPlan,
  file: number,
): AsyncGenerator<PlanRow[]> {
  const stored = await store.get(sliceKey(plan.objectPrefix, file));
  if (!stored) throw planObjectMissing(plan, `create/${file}`);
  const slice = JSON.parse(await stored.text()) as SliceDescriptor;
  const source = await store.get(sourceKey(plan.tenantId, plan.sourceSha256), {
    range: { offset: slice.start, length: slice.end - slice.start },
  });
  if (!source) throw planObjectMissing(plan, `source sha256:${plan.sourceSha256}`);
  const map = layoutMapper(plan.kind as ImportKind, plan.sourceLayout, plan.options);
  if (!map) throw unreadable(plan, file, `the ${plan.kind} importer reads no CSV rows`);
  const { headers, dialect, limits } = plan.sourceLayout;
  const state = stateOf(plan.kind);

  let range = 0;
  let count = 0;
  const origin = { header: -slice.row };
  for await (const batch of csvRecords(source.body, limits, origin, dialect)) {
    const out: PlanRow[] = [];
    for (let i = 0; i < batch.rows.length && range < slice.rows.length; i++) {
      const row = batch.first + i - origin.header;
      while (range < slice.rows.length && row > (slice.rows[range] as [number, number])[1]) range++;
      if (range >= slice.rows.length || row < (slice.rows[range] as [number, number])[0]) continue;
      const cells = checkRow(headers, limits, row, batch.rows[i] as string[]);
      const result = cells?.ok ? map(row, cells.cells) : undefined;
      if (!result?.ok) throw unreadable(plan, file, `row ${row} is no longer a record`);
      const record = result.value;
      const planned: PlanRow = {
        row,
        key: record.key,
        entity: record.entity,
        action: "create",
        fields: state.project(record) as Fields,
        decisionId: plan.decisionId,
        decision: "allow",
      };
      if (record.warnings) planned.warnings = record.warnings;
      out.push(planned);
      if (row === (slice.rows[range] as [number, number])[1]) range++;
    }
    count += out.length;
    if (out.length > 0) yield out;
    if (range >= slice.rows.length) break;
  }
  if (count !== slice.count) throw unreadable(plan, file, `${count} rows read, ${slice.count} planned`);
}
