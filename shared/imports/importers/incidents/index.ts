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

const timestamps = ["createdOn", "acknowledgedOn", "resolvedOn"] as const;

/** Header → the row mapper: the cells of each row are read by position, no object per row. */
const incidentsCsv: CsvRowMapper<IncidentFields> = {
  columns(headers, input, limits): MapRow<IncidentFields> {
    const columns = resolveColumns(headers, incidentColumns, input.mapping);
    const ctx: MapContext = { limits, columnOf: (field) => columns.sourceOf[field as IncidentColumn] };
    const at = positionsOf(columns, incidentColumns);
    return (row, cells) => mapIncident(ctx, row, (field) => (at[field] < 0 ? null : cell(cells[at[field]])));
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

/** A row's value of a field: trimmed, null when empty or when the file has no such column. */
type Value = (field: IncidentColumn) => string | null;

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

function mapIncident(ctx: MapContext, row: number, value: Value): ReadResult<IncidentFields> {
  const times: Record<(typeof timestamps)[number], string | null> = {
    createdOn: null,
    acknowledgedOn: null,
    resolvedOn: null,
  };
  for (const field of timestamps) {
    const raw = value(field);
    if (raw === null) continue;
    const canonical = canonicalTimestamp(raw);
    if (canonical === undefined)
      return reject(ctx, row, field, "invalid_timestamp", `"${raw}" is not a date and time.`, timestampHint);
    times[field] = canonical;
  }
  const created = times.createdOn;
  for (const field of ["acknowledgedOn", "resolvedOn"] as const) {
    const at = times[field];
    if (created && at && at < created) {
      return reject(
        ctx,
        row,
        field,
        "timestamp_order",
        `${columnOf(ctx, field)} is before ${columnOf(ctx, "createdOn")}.`,
      );
    }
  }
  const number = value("number");
  const fields = {
    id: value("id"),
    number: number === null ? null : /^\d+$/.test(number) ? Number(number) : number,
    title: value("title"),
    description: value("description"),
    status: value("status")?.toLowerCase(),
    urgency: value("urgency")?.toLowerCase() ?? null,
    priority: value("priority"),
    service: value("service"),
    escalationPolicy: value("escalationPolicy"),
    createdOn: created ?? undefined,
    acknowledgedOn: times.acknowledgedOn,
    resolvedOn: times.resolvedOn,
    assignee: value("assignee")?.toLowerCase() ?? null,
    runbook: value("runbook"),
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
