/**
 * The import flow in workerd: plan through `fetch`, commit, chunks applied by the `queue`
 * handler through the real Queues binding against real Postgres (Neon driver), a presigned
 * upload to an S3-protocol store, a manifest verified with the worker's JWKS.
 */
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PgDatabase } from "../../shared/platform/database-pg";
import { incidentsCsv } from "../db/imports-support";
import { eventually, type TestWorker } from "./miniflare";
import { startStack, type WorkerStack } from "./stack";

const BUCKET = "switchboard-imports";
const url = (path: string) => `http://worker.test${path}`;

let stack: WorkerStack;
let pg: PgDatabase;
let worker: TestWorker;
let apiKey: string;
let tenantId: string;

beforeAll(async () => {
  stack = await startStack({ bucket: BUCKET, tenant: { slug: "imports-wk", name: "Imports in workerd" } });
  ({ pg, worker } = stack);
  ({ apiKey, id: tenantId } = stack.tenant);
});

afterAll(() => stack?.close());

async function call<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${apiKey}`);
  const res = await worker.mf.dispatchFetch(url(path), { ...init, headers } as never);
  return { status: res.status, body: (await res.json()) as T };
}

interface Plan {
  id: string;
  counts: Record<string, number>;
}
interface Import {
  id: string;
  status: string;
  progress: { chunksDone: number; chunksTotal: number; rowsApplied: number };
  receipts: { committed: string | null; chunks: string[] };
}

const completed = (id: string) =>
  eventually(
    async () => {
      const { body } = await call<Import>(`/v1/imports/${id}`);
      return body.status === "completed" ? body : undefined;
    },
    { timeoutMs: 40_000 },
  );

describe("imports in workerd", () => {
  /** Three chunks of the default 5,000 rows. */
  const file = incidentsCsv(11_250);

  it("plans, commits, applies 3 chunks through the Queues binding, and re-commits to the same receipt", async () => {
    const planned = await call<Plan>("/v1/imports?kind=incidents", {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: file,
    });
    expect(planned.status, JSON.stringify(planned.body)).toBe(201);
    expect(planned.body.counts).toMatchObject({ create: 11_250, reject: 0 });
    const committed = await call<Import>(`/v1/imports/plans/${planned.body.id}/commit`, { method: "POST" });
    expect(committed.status).toBe(202);
    const done = await completed(committed.body.id);
    expect(done.progress).toMatchObject({ chunksDone: 3, chunksTotal: 3, rowsApplied: 11_250 });
    expect(done.receipts.chunks).toHaveLength(3);
    const { rows } = await pg.pool.query<{ n: string }>(
      "select count(*) as n from incidents where tenant_id = $1 and source = 'import'",
      [tenantId],
    );
    expect(Number(rows[0]?.n)).toBe(11_250);

    const again = await call<Plan>("/v1/imports?kind=incidents", {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: file,
    });
    expect(again.body.counts).toMatchObject({ unchanged: 11_250, create: 0 });
    const second = await call<Import>(`/v1/imports/plans/${again.body.id}/commit`, { method: "POST" });
    expect(second.body).toMatchObject({ id: done.id, receipts: { committed: done.receipts.committed } });
  });

  it("plans from a presigned upload and serves a manifest that verifies with the JWKS", async () => {
    const slot = await call<{ id: string; url: string; direct: boolean }>("/v1/imports/uploads", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "bad.csv", contentType: "text/csv" }),
    });
    expect(slot.body.direct).toBe(true);
    const put = await fetch(slot.body.url, {
      method: "PUT",
      body: "id,title,status,created_on\ninc-x,Broken,unknown,2026-01-01T00:00:00Z\n",
    });
    expect(put.status).toBe(200);
    const planned = await call<Plan>("/v1/imports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "incidents", format: "csv", upload: slot.body.id }),
    });
    expect(planned.body.counts).toMatchObject({ reject: 1 });
    const jws = await (
      await worker.mf.dispatchFetch(url(`/v1/imports/plans/${planned.body.id}/manifest`), {
        headers: { authorization: `Bearer ${apiKey}` },
      })
    ).text();
    const jwks = (await (
      await worker.mf.dispatchFetch(url("/.well-known/jwks.json"))
    ).json()) as JSONWebKeySet;
    const { payload } = await compactVerify(jws, createLocalJWKSet(jwks));
    expect(JSON.parse(new TextDecoder().decode(payload)).predicate.rejects).toHaveLength(1);
  });

  it("reverts an import chunk by chunk through the Queues binding", async () => {
    const runbooks = JSON.stringify(
      ["rb-a", "rb-b"].map((id) => ({
        id,
        title: id,
        version: 1,
        steps: [{ id: "s", title: "S", kind: "manual" }],
      })),
    );
    const planned = await call<Plan>("/v1/imports?kind=runbooks", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: runbooks,
    });
    expect(planned.body.counts).toMatchObject({ create: 2 });
    const committed = await call<Import>(`/v1/imports/plans/${planned.body.id}/commit`, { method: "POST" });
    await completed(committed.body.id);
    const started = await call<Import>(`/v1/imports/${committed.body.id}/revert`, { method: "POST" });
    expect(started).toMatchObject({ status: 202, body: { status: "reverting" } });
    const reverted = await eventually(
      async () => {
        const { body } = await call<Import & { receipts: { reverted: string | null } }>(
          `/v1/imports/${committed.body.id}`,
        );
        return body.status === "reverted" ? body : undefined;
      },
      { timeoutMs: 40_000 },
    );
    expect(reverted.receipts.reverted).toMatch(/^rcpt_/);
    const { rows } = await pg.pool.query<{ n: string }>(
      "select count(*) as n from runbooks where tenant_id = $1",
      [tenantId],
    );
    expect(Number(rows[0]?.n)).toBe(0);
  });
});
