/**
 * A PagerDuty-style incidents export of any size, written as a stream: the header of
 * ../shared/samples/incidents/pagerduty-export.csv, quoted descriptions with commas and
 * doubled quotes, varied services and timestamps. Deterministic for a row count.
 */

import { once } from "node:events";
import { createWriteStream } from "node:fs";

export const incidentsHeader =
  "id,incident_number,title,description,status,urgency,priority,service_name,escalation_policy_name,created_on,acknowledged_on,resolved_on,assigned_to,runbook";

/** The COPY target with the export's columns, typed as Postgres would store them. */
export const copyTableDdl = `create table bench_copy (id text primary key, incident_number integer, title text,
  description text, status text, urgency text, priority text, service_name text, escalation_policy_name text,
  created_on timestamptz, acknowledged_on timestamptz, resolved_on timestamptz, assigned_to text, runbook text)`;

/**
 * A second COPY target: a copy of the `incidents` table itself (its three indexes, a
 * statement trigger with a transition table like the watermark's, which also checks the
 * tenant), filled from the same file, with ids in creation order as an import's are. It
 * shows what storing the rows costs before any import work.
 */
export function incidentsCopyDdl(tenantId: string): string[] {
  const tenant = tenantId.replaceAll("'", "''");
  return [
    "create table bench_incidents (like incidents including defaults including indexes including constraints)",
    "create sequence bench_incidents_ids",
    `alter table bench_incidents alter column id set default 'inc_' || lpad(nextval('bench_incidents_ids')::text, 20, '0'),
      alter column tenant_id set default '${tenant}', alter column source set default 'import'`,
    `create trigger bench_incidents_state after insert on bench_incidents referencing new table as new_rows
      for each statement execute function bump_tenant_state('bench')`,
  ];
}

export const incidentsCopyStatement = `copy bench_incidents (key, number, title, description, status, urgency,
  priority, service, escalation_policy, opened_at, acknowledged_at, resolved_at, assignee, runbook)
  from stdin with (format csv, header true)`;

const services = ["checkout-api", "orders-db", "search", "edge", "payments", "auth", "inventory", "email"];
const policies = ["Platform Primary", "Data On-Call", "Security", "Payments On-Call"];
const statuses = ["resolved", "resolved", "resolved", "acknowledged", "triggered"];
const base = Date.parse("2024-01-01T00:00:00Z");

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

export function incidentLine(i: number): string {
  const service = services[i % services.length];
  const status = statuses[i % statuses.length];
  const opened = base + i * 37_000;
  const acked = status === "triggered" ? "" : iso(opened + 150_000 + (i % 600) * 1000);
  const resolved = status === "resolved" ? iso(opened + 3_600_000 + (i % 900) * 1000) : "";
  return [
    `Q${i.toString(36).toUpperCase().padStart(13, "0")}`,
    String(10_000 + i),
    `${service} error rate above ${1 + (i % 9)}%`,
    `"Spike after deploy 2026.${1 + (i % 12)}.${i % 28}, ""rollback"" started"`,
    status,
    i % 3 === 0 ? "low" : "high",
    `P${1 + (i % 4)}`,
    service,
    policies[i % policies.length],
    iso(opened),
    acked,
    resolved,
    `oncall${i % 500}@northwind.example`,
    "",
  ].join(",");
}

/** Writes `rows` incidents to `file`; returns its size in bytes. */
export async function writeIncidentsCsv(file: string, rows: number): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, "drain");
  };
  await write(`${incidentsHeader}\n`);
  const perPiece = 1000;
  for (let i = 0; i < rows; i += perPiece) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(rows, i + perPiece); j++) lines.push(incidentLine(j));
    await write(`${lines.join("\n")}\n`);
  }
  out.end();
  await once(out, "finish");
  return bytes;
}
