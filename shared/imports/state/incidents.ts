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
import { fieldColumns, type RowOf, recordsetOf } from "./recordset";
import { isoOf, newIds, rowsOf, textArray, timestamp, withIds } from "./sql";

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

const written = recordsetOf(incidents, ["key", ...Object.values(plainColumns)]);

function row(write: StateWrite): RowOf<typeof written> {
  const out: Record<string, unknown> = { key: write.key };
  for (const [field, column] of Object.entries(plainColumns)) out[column] = write.fields[field] ?? null;
  return out as RowOf<typeof written>;
}

/**
 * The record's fields as jsonb_to_record reads them from a plan row, for `insertPlanned`;
 * it stores what `write` stores (test/db/imports-incidents-bulk.test.ts compares them).
 */
const recordColumns = fieldColumns(incidents, plainColumns);
const plainNames = sql.raw(recordColumns.names.join(", "));

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
      const constants = {
        tenantId,
        source: "import",
        version: 1,
        lastImportId: importId,
        createdAt: now,
        updatedAt: now,
      };
      await db.execute(written.insert(withIds("inc", creates, row), constants));
    }
    if (updates.length > 0) {
      const constants = { lastImportId: importId, updatedAt: now };
      await db.execute(written.update(updates.map(row), { tenantId, match: ["key"], constants }));
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
        insert into incidents (id, tenant_id, key, ${plainNames}, source, version, last_import_id, created_at, updated_at)
        select s.id, ${tenantId}, s.j->>'key', ${recordColumns.values}, 'import', 1, ${importId}, ${now}, ${now}
        from src s cross join lateral jsonb_to_record(s.j->'fields') as ${recordColumns.definition}
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
