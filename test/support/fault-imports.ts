/** Imports through the faults tier's server, and what to check once the dust settles. */
import { expect } from "vitest";
import type { FaultStack } from "./fault-stack";

/** `count` incidents, keys `<prefix>-0` …, one row of ~70 bytes each. */
export function incidentsCsv(count: number, prefix = "F", title = "Disk full"): string {
  const lines = ["id,title,status,urgency,created_on"];
  for (let i = 0; i < count; i++)
    lines.push(`${prefix}-${i},${title} ${i},resolved,low,2026-01-01T00:00:00Z`);
  return `${lines.join("\n")}\n`;
}

export interface PlanAnswer {
  status: number;
  body: { id?: string; code?: string; counts?: Record<string, number> };
  retryAfter: string | null;
}

export async function dryRun(stack: FaultStack, csv: string, idempotencyKey?: string): Promise<PlanAnswer> {
  const res = await stack.api("/v1/imports?kind=incidents", {
    method: "POST",
    headers: {
      "content-type": "text/csv",
      ...(idempotencyKey ? { "idempotency-key": `"${idempotencyKey}"` } : {}),
    },
    body: csv,
  });
  return {
    status: res.status,
    body: (await res.json()) as PlanAnswer["body"],
    retryAfter: res.headers.get("retry-after"),
  };
}

/** Commits a plan; the import's id. */
export async function commit(stack: FaultStack, planId: string): Promise<string> {
  const res = await stack.api(`/v1/imports/plans/${planId}/commit`, { method: "POST" });
  const body = (await res.json()) as { id: string };
  expect(res.status, JSON.stringify(body)).toBe(202);
  return body.id;
}

export interface ImportView {
  status: string;
  error: string | null;
  progress: { chunksDone: number; chunksTotal: number; rowsApplied: number; rowsSkipped: number };
  deadChunks: unknown[];
}

export async function importView(stack: FaultStack, id: string): Promise<ImportView | undefined> {
  const res = await stack.api(`/v1/imports/${id}`);
  if (res.status === 503) return undefined; // the database is out: ask again
  expect(res.status).toBe(200);
  return (await res.json()) as ImportView;
}

/** Polls until the import leaves `applying`; its view then. */
export async function settled(stack: FaultStack, id: string, timeoutMs = 90_000): Promise<ImportView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const view = await importView(stack, id);
    if (view && view.status !== "applying") return view;
    if (Date.now() > until) throw new Error(`import ${id} still applying: ${JSON.stringify(view)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Rows stored for the keys with `prefix`: all of them, and distinct keys (duplicates would differ). */
export async function storedCounts(stack: FaultStack, prefix: string) {
  const { rows } = await stack.direct.query<{ rows: number; keys: number }>(
    "select count(*)::int as rows, count(distinct key)::int as keys from incidents where key like $1",
    [`${prefix}-%`],
  );
  return rows[0];
}

/** The demo tenant's receipt log verifies end to end. */
export async function expectReceiptsVerify(stack: FaultStack) {
  const res = await stack.api("/v1/receipts/verification");
  const body = (await res.json()) as { ok: boolean; size: number; verified: number };
  expect(res.status, JSON.stringify(body)).toBe(200);
  expect(body, JSON.stringify(body)).toMatchObject({ ok: true });
  expect(body.verified).toBe(body.size);
}

/** Resolves once the app's database runs a statement matching `pattern` (ILIKE), polling its activity. */
export async function whenRunning(stack: FaultStack, pattern: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const { rows } = await stack.direct.query(
      "select 1 from pg_stat_activity where datname = $1 and state = 'active' and pid <> pg_backend_pid() and query ilike $2",
      [stack.databaseName, pattern],
    );
    if (rows.length > 0) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no statement like ${pattern} ran within ${timeoutMs} ms`);
}

/** Every problem answered during an outage is a 503 `unavailable` with Retry-After. */
export async function expectUnavailable(res: Response) {
  const body = (await res.json()) as { code?: string; status?: number };
  expect(res.status, JSON.stringify(body)).toBe(503);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(body.code).toBe("unavailable");
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
}

/** Deliveries of the import's chunk jobs beyond the first: > 0 when a cut made a chunk fail and retry. */
export async function chunkRetries(stack: FaultStack, importId: string): Promise<number> {
  const { rows } = await stack.direct.query<{ n: number }>(
    "select coalesce(sum(attempts - 1), 0)::int as n from jobs where body->>'importId' = $1",
    [importId],
  );
  return rows[0]?.n ?? 0;
}

/**
 * The client's side of a 503: the same request and Idempotency-Key again, after Retry-After
 * (a 409 while the key is still held by the request that failed), until it is answered.
 */
export async function dryRunUntilAnswered(stack: FaultStack, csv: string, key: string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const answer = await dryRun(stack, csv, key);
    if ((answer.status !== 409 && answer.status !== 503) || Date.now() > until) return answer;
    await new Promise((r) => setTimeout(r, Number(answer.retryAfter ?? 1) * 1000));
  }
}
