/** Helpers for the imports tests (not a test file): plan, commit, drain, read a sample. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { asc, eq } from "drizzle-orm";
import { expect } from "vitest";
import { incidents } from "../../shared/db/schema";
import type { Harness } from "../support/harness";

export const samplesDir = join(process.cwd(), "..", "shared", "samples");
export const sample = (path: string): Uint8Array<ArrayBuffer> =>
  new Uint8Array(readFileSync(join(samplesDir, path)));
export const groupRoleMap = readFileSync(join(samplesDir, "identities", "group-role-map.json"), "utf8");

export const mediaTypes: Record<string, string> = {
  csv: "text/csv",
  json: "application/json",
  scim: "application/scim+json",
  yaml: "application/yaml",
};

export interface PlanBody {
  id: string;
  counts: Record<"total" | "create" | "update" | "unchanged" | "reject" | "conflict", number>;
  rows: Record<string, { items: PlanRowBody[]; next: string | null }>;
  receiptId: string;
  decisionId: string;
  grantsAdmin: boolean;
  watermark: number;
  manifestDigest: string;
  source: { sha256: string };
  links: Record<string, unknown>;
}
export interface PlanRowBody {
  row: number;
  key?: string;
  action: string;
  fields?: Record<string, unknown>;
  changes?: Record<string, { before: unknown; after: unknown }>;
  error?: { column?: string; code: string; message: string; hint?: string };
  decisionId: string;
  decision: string;
}
export interface ImportBody {
  id: string;
  planId: string;
  status: string;
  source: { sha256: string | null; name: string | null };
  progress: Record<string, number | null>;
  receipts: { planned: string | null; committed: string | null; reverted: string | null; chunks: string[] };
  skippedKeys: string[];
  error: string | null;
}

export interface PlanRequest {
  kind: string;
  body: Uint8Array<ArrayBuffer> | string;
  contentType?: string;
  format?: string;
  mapping?: Record<string, string>;
  options?: string | Record<string, unknown>;
  onConflict?: string;
  headers?: Record<string, string>;
}

export async function planRequest(h: Harness, key: string, input: PlanRequest): Promise<Response> {
  const query = new URLSearchParams({ kind: input.kind });
  if (input.format) query.set("format", input.format);
  if (input.mapping) query.set("mapping", JSON.stringify(input.mapping));
  if (input.options)
    query.set("options", typeof input.options === "string" ? input.options : JSON.stringify(input.options));
  if (input.onConflict) query.set("onConflict", input.onConflict);
  return h.request(`/v1/imports?${query}`, {
    key,
    method: "POST",
    headers: { "content-type": input.contentType ?? "text/csv", ...input.headers },
    body: input.body,
  });
}

export async function plan(h: Harness, key: string, input: PlanRequest): Promise<PlanBody> {
  const res = await planRequest(h, key, input);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBeLessThan(300);
  return body as PlanBody;
}

export async function commit(h: Harness, key: string, planId: string, headers: Record<string, string> = {}) {
  return h.request(`/v1/imports/plans/${planId}/commit`, { key, method: "POST", headers });
}

/** Commits, lets the queue apply every chunk, and returns the import as GET reports it. */
export async function commitAndApply(h: Harness, key: string, planId: string): Promise<ImportBody> {
  const res = await commit(h, key, planId);
  const body = (await res.json()) as ImportBody;
  expect(res.status, JSON.stringify(body)).toBeLessThan(300);
  await h.platform.queue.drain();
  return getImport(h, key, body.id);
}

export async function getImport(h: Harness, key: string, id: string): Promise<ImportBody> {
  const res = await h.request(`/v1/imports/${id}`, { key });
  expect(res.status).toBe(200);
  return (await res.json()) as ImportBody;
}

export const rowsOf = (p: PlanBody, action: string) => p.rows[action]?.items ?? [];

/** An incidents CSV of `n` rows (ids inc-<start>…), for multi-chunk imports. */
export function incidentsCsv(n: number, options: { start?: number; title?: string } = {}): string {
  const start = options.start ?? 0;
  const lines = ["id,title,status,urgency,created_on"];
  for (let i = start; i < start + n; i++) {
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i % 86_400)).toISOString().replace(".000", "");
    lines.push(`inc-${i},${options.title ?? "Disk full"} ${i},resolved,low,${at}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The tenant's incidents as plain data (no ids, no tenant), to compare two runs. */
export async function incidentsOf(h: Harness, tenantId: string) {
  const { db } = h.database.connect();
  const rows = await db
    .select()
    .from(incidents)
    .where(eq(incidents.tenantId, tenantId))
    .orderBy(asc(incidents.key));
  return rows.map((r) => ({
    key: r.key,
    title: r.title,
    status: r.status,
    urgency: r.urgency,
    openedAt: r.openedAt.toISOString(),
    version: r.version,
  }));
}

/** Every stored column of the tenant's incidents but ids' random parts and times, to compare two write paths. */
export async function storedIncidents(h: Harness, tenantId: string) {
  const rows = await h.database
    .connect()
    .db.select()
    .from(incidents)
    .where(eq(incidents.tenantId, tenantId))
    .orderBy(asc(incidents.key));
  return rows.map(({ id, tenantId: _, lastImportId, createdAt, updatedAt, ...row }) => ({
    ...row,
    id: id.slice(0, 4),
    lastImportId: lastImportId?.slice(0, 4),
  }));
}

/** A problem+json body with the members the import routes add. */
export interface ProblemBody {
  status: number;
  code: string;
  detail: string;
  importCode?: string;
  idempotencyCode?: string;
  staleRows?: unknown[];
  staleTotal?: number;
  replan?: { method: string; href: string; body: Record<string, unknown> };
  touchedRows?: unknown[];
  importId?: string;
  limit?: number;
}

export const problemOf = async (res: Response) => (await res.json()) as ProblemBody;
