/**
 * incidents: historical incidents from a PagerDuty-style CSV export, streamed row by row.
 * key = incident `id`, entity "incident", fields = IncidentFields: every field present
 * (a column the file lacks is null). Timestamps (created_on required, acknowledged_on and
 * resolved_on optional) must be ISO 8601 with an offset and are stored as canonical UTC ISO
 * strings; a bad one is `invalid_timestamp`, one before created_on `timestamp_order`.
 * Status, urgency are lowercased. refs: the runbook (kind runbooks) and the assignee's email
 * (kind identities). The dry run checks only references to the import's own kind
 * (read-items.ts), so these two are stored as given.
 */
import { positionsOf, resolveColumns } from "../../read/columns";
import type {
  CsvRowMapper,
  Importer,
  ImportInput,
  MappedRecord,
  MapRow,
  ReadResult,
  Reference,
} from "../../types";
import { readMappedCsv } from "../csv-rows";
import { cell, checkFormat, finish, type MapContext, zodReject } from "../map";
import {
  canonicalTimestamp,
  type IncidentColumn,
  type IncidentFields,
  incidentColumns,
  incidentFields,
  isValidIncident,
} from "./schema";

export type { IncidentFields } from "./schema";

/** Header → the row mapper: the cells of each row are read by position. */
const incidentsCsv: CsvRowMapper<IncidentFields> = {
  columns(headers, input, limits): MapRow<IncidentFields> {
    const columns = resolveColumns(headers, incidentColumns, input.mapping);
    const ctx: MapContext = { limits, columnOf: (field) => columns.sourceOf[field as IncidentColumn] };
    const at = positionsOf(columns, incidentColumns);
    return (row, cells) => mapIncident(ctx, row, cells, at);
  },
};

export const incidentsImporter: Importer<IncidentFields> = {
  kind: "incidents",
  version: "2",
  formats: ["csv"],
  csv: incidentsCsv,
  read(input: ImportInput): AsyncIterable<ReadResult<IncidentFields>> {
    checkFormat("incidents", input.format, incidentsImporter.formats);
    return readMappedCsv(input, incidentsCsv);
  },
};

/** The cell at a column position as a value (`cell`); null where the file has no such column. */
const cellAt = (cells: readonly string[], at: number) => (at < 0 ? null : cell(cells[at]));

const columnOf = (ctx: MapContext, field: IncidentColumn) => ctx.columnOf?.(field) ?? field;

function reject(
  ctx: MapContext,
  row: number,
  field: IncidentColumn,
  code: string,
  message: string,
  hint?: string,
) {
  const error = { row, column: columnOf(ctx, field), code, message };
  return { ok: false, error: hint ? { ...error, hint } : error } as const;
}

const timestampHint = "Use ISO 8601 with an offset, e.g. 2026-10-03T14:02:11Z.";

/** A timestamp cell: canonical, null when empty, undefined when it is no date and time. */
const timestampOf = (raw: string | null) => (raw === null ? null : canonicalTimestamp(raw));

function badTimestamp(ctx: MapContext, row: number, field: IncidentColumn, raw: string | null) {
  return reject(ctx, row, field, "invalid_timestamp", `"${raw}" is not a date and time.`, timestampHint);
}

function beforeCreated(ctx: MapContext, row: number, field: IncidentColumn) {
  const message = `${columnOf(ctx, field)} is before ${columnOf(ctx, "createdOn")}.`;
  return reject(ctx, row, field, "timestamp_order", message);
}

function mapIncident(
  ctx: MapContext,
  row: number,
  cells: readonly string[],
  at: Readonly<Record<IncidentColumn, number>>,
): ReadResult<IncidentFields> {
  const createdRaw = cellAt(cells, at.createdOn);
  const created = timestampOf(createdRaw);
  if (created === undefined) return badTimestamp(ctx, row, "createdOn", createdRaw);
  const acknowledgedRaw = cellAt(cells, at.acknowledgedOn);
  const acknowledged = timestampOf(acknowledgedRaw);
  if (acknowledged === undefined) return badTimestamp(ctx, row, "acknowledgedOn", acknowledgedRaw);
  const resolvedRaw = cellAt(cells, at.resolvedOn);
  const resolved = timestampOf(resolvedRaw);
  if (resolved === undefined) return badTimestamp(ctx, row, "resolvedOn", resolvedRaw);
  if (created && acknowledged && acknowledged < created) return beforeCreated(ctx, row, "acknowledgedOn");
  if (created && resolved && resolved < created) return beforeCreated(ctx, row, "resolvedOn");
  const number = cellAt(cells, at.number);
  const fields = {
    id: cellAt(cells, at.id),
    number: number === null ? null : /^\d+$/.test(number) ? Number(number) : number,
    title: cellAt(cells, at.title),
    description: cellAt(cells, at.description),
    status: cellAt(cells, at.status)?.toLowerCase(),
    urgency: cellAt(cells, at.urgency)?.toLowerCase() ?? null,
    priority: cellAt(cells, at.priority),
    service: cellAt(cells, at.service),
    escalationPolicy: cellAt(cells, at.escalationPolicy),
    createdOn: created ?? undefined,
    acknowledgedOn: acknowledged,
    resolvedOn: resolved,
    assignee: cellAt(cells, at.assignee)?.toLowerCase() ?? null,
    runbook: cellAt(cells, at.runbook),
  };
  if (!isValidIncident(fields)) {
    const parsed = incidentFields.safeParse(fields);
    if (!parsed.success) return zodReject<IncidentFields>(ctx, row, parsed.error, fields);
  }
  const valid = fields as IncidentFields;
  const record: MappedRecord<IncidentFields> = { row, key: valid.id, entity: "incident", fields: valid };
  if (valid.runbook || valid.assignee) {
    const refs: Reference[] = [];
    if (valid.runbook) refs.push({ column: columnOf(ctx, "runbook"), kind: "runbooks", key: valid.runbook });
    if (valid.assignee)
      refs.push({ column: columnOf(ctx, "assignee"), kind: "identities", key: valid.assignee });
    record.refs = refs;
  }
  return finish(ctx, record);
}
