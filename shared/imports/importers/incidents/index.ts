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
import { resolveLimits } from "../../limits";
import { resolveColumns, rowValues } from "../../read/columns";
import { openCsv } from "../../read/csv-reader";
import type { Importer, ImportInput, MappedRecord, ReadResult, Reference } from "../../types";
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

export const incidentsImporter: Importer<IncidentFields> = {
  kind: "incidents",
  version: "2",
  formats: ["csv"],
  read(input: ImportInput): AsyncIterable<ReadResult<IncidentFields>> {
    return readIncidents(input);
  },
};

type Values = Partial<Record<IncidentColumn, string>>;

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

function mapIncident(ctx: MapContext, row: number, values: Values): ReadResult<IncidentFields> {
  const times: Record<(typeof timestamps)[number], string | null> = {
    createdOn: null,
    acknowledgedOn: null,
    resolvedOn: null,
  };
  for (const field of timestamps) {
    const raw = cell(values[field]);
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
  const number = cell(values.number);
  const fields = {
    id: cell(values.id),
    number: number === null ? null : /^\d+$/.test(number) ? Number(number) : number,
    title: cell(values.title),
    description: cell(values.description),
    status: cell(values.status)?.toLowerCase(),
    urgency: cell(values.urgency)?.toLowerCase() ?? null,
    priority: cell(values.priority),
    service: cell(values.service),
    escalationPolicy: cell(values.escalationPolicy),
    createdOn: created ?? undefined,
    acknowledgedOn: times.acknowledgedOn,
    resolvedOn: times.resolvedOn,
    assignee: cell(values.assignee)?.toLowerCase() ?? null,
    runbook: cell(values.runbook),
  };
  if (!isValidIncident(fields)) {
    const parsed = incidentFields.safeParse(fields);
    if (!parsed.success) return zodReject<IncidentFields>(ctx, row, parsed.error, fields);
  }
  const valid = fields as IncidentFields;
  const refs: Reference[] = [];
  if (valid.runbook) refs.push({ column: columnOf(ctx, "runbook"), kind: "runbooks", key: valid.runbook });
  if (valid.assignee)
    refs.push({ column: columnOf(ctx, "assignee"), kind: "identities", key: valid.assignee });
  const record: MappedRecord<IncidentFields> = { row, key: valid.id, entity: "incident", fields: valid };
  if (refs.length > 0) record.refs = refs;
  return finish(ctx, record);
}

async function* readIncidents(input: ImportInput): AsyncGenerator<ReadResult<IncidentFields>> {
  checkFormat("incidents", input.format, incidentsImporter.formats);
  const limits = resolveLimits(input.limits);
  const table = await openCsv(input.bytes, limits);
  const columns = resolveColumns(table.headers, incidentColumns, input.mapping);
  const ctx: MapContext = { limits, columnOf: (field) => columns.sourceOf[field as IncidentColumn] };
  for await (const result of table.rows) {
    yield result.ok ? mapIncident(ctx, result.row, rowValues(columns, result.cells)) : result;
  }
}
