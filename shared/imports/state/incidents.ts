/**
 * incidents → incidents, by source id, historical timestamps kept, `source` = "import".
 * Applying writes rows and receipts only: nothing is enqueued and nobody is notified.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { type Incident, incidents } from "../../db/schema";
import type { CurrentRow, Fields, StateModule, StateWrite } from "../framework/types";
import { plainColumns } from "./incidents-columns";
import { copyPlanned } from "./incidents-copy";
import { isoOf, newIds, recordset, rowsOf, textArray, timestamp, withIds } from "./sql";

function fieldsOf(r: Incident): Fields {
  return {
    id: r.key,
    number: r.number,
    title: r.title,
    description: r.description,
    status: r.status,
    urgency: r.urgency,
    priority: r.priority,
    service: r.service,
    escalationPolicy: r.escalationPolicy,
    createdOn: isoOf(r.openedAt),
    acknowledgedOn: isoOf(r.acknowledgedAt),
    resolvedOn: isoOf(r.resolvedAt),
    assignee: r.assignee,
    runbook: r.runbook,
  };
}

function row(write: StateWrite): Record<string, unknown> {
  const out: Record<string, unknown> = { key: write.key };
  for (const [field, column] of Object.entries(plainColumns)) out[column] = write.fields[field] ?? null;
  return out;
}

const columns = sql`x(id text, key text, number integer, title text, description text, status text,
  urgency text, priority text, service text, escalation_policy text, opened_at timestamptz,
  acknowledged_at timestamptz, resolved_at timestamptz, assignee text, runbook text)`;

/**
 * The record's fields as jsonb_to_record reads them from a plan row, for `insertPlanned`;
 * it must store what `write` stores (test/db/imports-incidents-bulk.test.ts compares them).
 */
const recordColumns = sql`x(number integer, title text, description text, status text, urgency text,
  priority text, service text, "escalationPolicy" text, "createdOn" timestamptz, "acknowledgedOn" timestamptz,
  "resolvedOn" timestamptz, assignee text, runbook text)`;

export const incidentsState: StateModule = {
  kind: "incidents",
  tracksImports: true,

  project: (record) => record.fields as Fields,

  async load(db: Database, tenantId: string, keys: string[], lock = false) {
    const out = new Map<string, CurrentRow>();
    if (keys.length === 0) return out;
    const query = db
      .select()
      .from(incidents)
      .where(and(eq(incidents.tenantId, tenantId), sql`${incidents.key} = any(${textArray(keys)})`));
    for (const r of lock ? await query.for("update") : await query) {
      out.set(r.key, { fields: fieldsOf(r), lastImportId: r.lastImportId, version: r.version });
    }
    return out;
  },

  async write(db, { tenantId, importId, now: date, creates, updates }) {
    const now = timestamp(date);
    if (creates.length > 0) {
      await db.execute(sql`insert into incidents (id, tenant_id, key, number, title, description, status,
          urgency, priority, service, escalation_policy, opened_at, acknowledged_at, resolved_at, assignee,
          runbook, source, version, last_import_id, created_at, updated_at)
        select x.id, ${tenantId}, x.key, x.number, x.title, x.description, x.status, x.urgency, x.priority,
          x.service, x.escalation_policy, x.opened_at, x.acknowledged_at, x.resolved_at, x.assignee,
          x.runbook, 'import', 1, ${importId}, ${now}, ${now}
        from jsonb_to_recordset(${recordset(withIds("inc", creates, row))}) as ${columns}`);
    }
    if (updates.length > 0) {
      await db.execute(sql`update incidents i set number = x.number, title = x.title,
          description = x.description, status = x.status, urgency = x.urgency, priority = x.priority,
          service = x.service, escalation_policy = x.escalation_policy, opened_at = x.opened_at,
          acknowledged_at = x.acknowledged_at, resolved_at = x.resolved_at, assignee = x.assignee,
          runbook = x.runbook, last_import_id = ${importId}, updated_at = ${now}
        from jsonb_to_recordset(${recordset(updates.map(row))}) as ${columns}
        where i.tenant_id = ${tenantId} and i.key = x.key`);
    }
  },

  async insertPlanned(db, input) {
    const copied = input.copyIn ? await copyPlanned(db, input.copyIn, input) : undefined;
    if (copied) return copied;
    const { tenantId, importId, now: date } = input;
    // One line per planned row: its key and fields, all the statement reads of it.
    const lines: string[] = [];
    for await (const rows of input.object.rows()) {
      for (const r of rows) lines.push(JSON.stringify({ key: r.key, fields: r.fields }));
    }
    const ndjson = lines.join("\n");
    const now = timestamp(date);
    const ids = newIds("inc", lines.length);
    // The NDJSON and the ids are zipped by unnest, line by line.
    const result = await db.execute(sql`with src as (
        select r.id, r.line::jsonb as j
        from unnest(string_to_array(${ndjson}, E'\n'), ${textArray(ids)}) as r(line, id)
        where r.line <> ''
      ), ins as (
        insert into incidents (id, tenant_id, key, number, title, description, status, urgency, priority,
          service, escalation_policy, opened_at, acknowledged_at, resolved_at, assignee, runbook, source,
          version, last_import_id, created_at, updated_at)
        select s.id, ${tenantId}, s.j->>'key', x.number, x.title, x.description, x.status, x.urgency,
          x.priority, x.service, x."escalationPolicy", x."createdOn", x."acknowledgedOn", x."resolvedOn",
          x.assignee, x.runbook, 'import', 1, ${importId}, ${now}, ${now}
        from src s cross join lateral jsonb_to_record(s.j->'fields') as ${recordColumns}
        on conflict (tenant_id, key) do nothing
        returning key
      )
      select (select count(*) from ins)::int as applied,
        coalesce((select array_agg(s.j->>'key') from src s
          where not exists (select 1 from ins where ins.key = s.j->>'key')), '{}') as skipped`);
    const [out] = rowsOf<{ applied: number; skipped: string[] }>(result);
    return { applied: Number(out?.applied ?? 0), skipped: out?.skipped ?? [] };
  },

  async remove(db, tenantId, keys) {
    if (keys.length === 0) return;
    await db
      .delete(incidents)
      .where(and(eq(incidents.tenantId, tenantId), sql`${incidents.key} = any(${textArray(keys)})`));
  },
};
