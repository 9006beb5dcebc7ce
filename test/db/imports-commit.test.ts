/**
 * Commit: stale plans refused with their rows, 20 concurrent commits applying once, one
 * import of a kind at a time, another tenant's ids answering 404.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importChunks, imports, operators, receipts, runbooks } from "../../shared/db/schema";
import { createHarness, type Harness } from "../support/harness";
import {
  commit,
  commitAndApply,
  type ImportBody,
  incidentsCsv,
  mediaTypes,
  type PlanBody,
  plan,
  problemOf,
  rowsOf,
  sample,
} from "./imports-support";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const runbookJson = (title: string) =>
  JSON.stringify([
    { id: "page-owner", title, version: 2, steps: [{ id: "page", title: "Page the owner", kind: "manual" }] },
  ]);

describe("a stale plan is refused", () => {
  it("lists the stale rows (key, field, planned before vs now) and a replan, and applies nothing", async () => {
    const key = h.tenantA.apiKey;
    const json = { kind: "runbooks", contentType: mediaTypes.json };
    const base = await plan(h, key, { ...json, body: runbookJson("Escalate") });
    await commitAndApply(h, key, base.id);
    const reviewed = await plan(h, key, { ...json, body: runbookJson("Escalate to the owner") });
    expect(rowsOf(reviewed, "update")[0]?.changes?.title).toEqual({
      before: "Escalate",
      after: "Escalate to the owner",
    });

    const meanwhile = await plan(h, key, { ...json, body: runbookJson("Escalate now") });
    await commitAndApply(h, key, meanwhile.id);

    const refused = await commit(h, key, reviewed.id);
    expect(refused.status).toBe(409);
    const problem = await problemOf(refused);
    expect(problem).toMatchObject({ code: "conflict", importCode: "stale_plan", staleTotal: 1 });
    expect(problem.staleRows).toEqual([
      { row: 1, key: "page-owner", field: "title", planned: "Escalate", now: "Escalate now" },
    ]);
    expect(problem.replan).toMatchObject({ method: "POST", href: "/v1/imports", body: { kind: "runbooks" } });
    const [row] = await h.ctx().db.select().from(runbooks).where(eq(runbooks.tenantId, h.tenantA.id));
    expect(row?.title).toBe("Escalate now");

    const replanned = await h.request("/v1/imports", {
      key,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(problem.replan?.body),
    });
    expect(replanned.status).toBe(201);
    const fresh = (await replanned.json()) as PlanBody;
    expect(rowsOf(fresh, "update")[0]?.changes?.title).toEqual({
      before: "Escalate now",
      after: "Escalate to the owner",
    });
  });

  it("an API write to an operator makes an identities plan stale", async () => {
    const key = h.tenantA.apiKey;
    const csv = "email,displayName\nzoe@acme.example,Zoe\n";
    await commitAndApply(h, key, (await plan(h, key, { kind: "identities", body: csv })).id);
    const reviewed = await plan(h, key, {
      kind: "identities",
      body: "email,displayName\nzoe@acme.example,Zoë\n",
    });
    await h
      .ctx()
      .db.update(operators)
      .set({ displayName: "Zoe (edited)" })
      .where(and(eq(operators.tenantId, h.tenantA.id), eq(operators.email, "zoe@acme.example")));
    const refused = await commit(h, key, reviewed.id);
    expect(refused.status).toBe(409);
    expect((await problemOf(refused)).staleRows).toEqual([
      { row: 1, key: "zoe@acme.example", field: "displayName", planned: "Zoe", now: "Zoe (edited)" },
      { row: 1, key: "zoe@acme.example", field: "writer", planned: "import", now: "api" },
    ]);
  });
});

describe("20 concurrent commits of one plan", () => {
  it("create one import, apply it once, and all answer with its id", async () => {
    const key = h.tenantA.apiKey;
    const p = await plan(h, key, { kind: "incidents", body: incidentsCsv(11_250, { start: 10_000 }) });
    const spans: [number, number][] = [];
    const timed = async () => {
      const start = performance.now();
      const res = await commit(h, key, p.id);
      spans.push([start, performance.now()]);
      return res;
    };
    const responses = await Promise.all(Array.from({ length: 20 }, timed));
    const overlap = Math.max(...spans.map(([s]) => spans.filter(([a, b]) => a <= s && s < b).length));
    expect(overlap).toBeGreaterThan(1);
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as ImportBody[];
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    expect(responses.filter((r) => r.status === 202)).toHaveLength(1);
    expect(responses.every((r) => r.status === 202 || r.status === 200)).toBe(true);
    await h.platform.queue.drain();
    const id = bodies[0]?.id ?? "";
    const done = await commitAndApply(h, key, p.id);
    expect(done).toMatchObject({ id, status: "completed" });
    expect(done.progress).toMatchObject({
      chunksDone: 3,
      chunksTotal: 3,
      rowsApplied: 11_250,
      estimatedSecondsLeft: 0,
    });
    const rows = await h.ctx().db.select().from(imports).where(eq(imports.planId, p.id));
    expect(rows).toHaveLength(1);
    const chunkReceipts = await h
      .ctx()
      .db.select()
      .from(receipts)
      .where(
        and(
          eq(receipts.tenantId, h.tenantA.id),
          eq(receipts.kind, "import.chunk.applied"),
          eq(receipts.subject, `import:${id}`),
        ),
      );
    expect(chunkReceipts).toHaveLength(3);
  });
});

describe("one import of a kind at a time", () => {
  it("refuses another plan of the kind while one is applying", async () => {
    const key = h.tenantA.apiKey;
    await h.platform.queue.stop();
    try {
      const first = await plan(h, key, { kind: "incidents", body: incidentsCsv(10, { start: 50_000 }) });
      const second = await plan(h, key, { kind: "incidents", body: incidentsCsv(10, { start: 60_000 }) });
      const accepted = await commit(h, key, first.id);
      expect(accepted.status).toBe(202);
      const busy = await commit(h, key, second.id);
      expect(busy.status).toBe(409);
      expect(await busy.json()).toMatchObject({ importCode: "import_in_progress" });
      const runbooksPlan = await plan(h, key, {
        kind: "runbooks",
        body: sample("runbooks/restart-checkout.yaml"),
        contentType: mediaTypes.yaml,
      });
      expect((await commit(h, key, runbooksPlan.id)).status).toBe(202);
    } finally {
      h.platform.queue.start((await import("../../functions/jobs/consumer")).createConsumer(h.platform));
    }
    await h.platform.queue.drain();
    const pending = await h.ctx().db.select().from(importChunks).where(eq(importChunks.status, "pending"));
    expect(pending).toEqual([]);
  });
});

describe("another tenant's plan or import", () => {
  it("answers 404 everywhere", async () => {
    const p = await plan(h, h.tenantA.apiKey, {
      kind: "incidents",
      body: incidentsCsv(2, { start: 70_000 }),
    });
    const imp = await commitAndApply(h, h.tenantA.apiKey, p.id);
    const other = h.tenantB.apiKey;
    for (const [method, path] of [
      ["GET", `/v1/imports/plans/${p.id}`],
      ["GET", `/v1/imports/plans/${p.id}/rows?action=create`],
      ["GET", `/v1/imports/plans/${p.id}/manifest`],
      ["POST", `/v1/imports/plans/${p.id}/commit`],
      ["GET", `/v1/imports/${imp.id}`],
      ["GET", `/v1/imports/${imp.id}/manifest`],
      ["POST", `/v1/imports/${imp.id}/revert`],
      ["POST", `/v1/imports/${imp.id}/resume`],
    ] as const) {
      const res = await h.request(path, { key: other, method });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
  });
});

describe("conflicts", () => {
  it("a row created or changed outside imports is a conflict, applied only with onConflict=overwrite", async () => {
    const key = h.tenantB.apiKey;
    const content = { id: "manual-book", title: "Written in Switchboard" };
    await h.ctx().db.insert(runbooks).values({
      id: "rb_manual",
      tenantId: h.tenantB.id,
      key: "manual-book",
      title: content.title,
      content,
      contentHash: "x",
    });
    const file = JSON.stringify([
      {
        id: "manual-book",
        title: "From the repo",
        version: 1,
        steps: [{ id: "a", title: "A", kind: "manual" }],
      },
    ]);
    const p = await plan(h, key, { kind: "runbooks", body: file, contentType: mediaTypes.json });
    expect(p.counts).toMatchObject({ conflict: 1, update: 0 });
    expect(rowsOf(p, "conflict")[0]).toMatchObject({
      key: "manual-book",
      error: { code: "changed_outside_import" },
      changes: { title: { before: "Written in Switchboard", after: "From the repo" } },
    });
    const skipped = await commitAndApply(h, key, p.id);
    expect(skipped.progress).toMatchObject({ rowsApplied: 0, chunksTotal: 0 });
    const overwrite = await plan(h, key, {
      kind: "runbooks",
      body: file,
      contentType: mediaTypes.json,
      onConflict: "overwrite",
    });
    expect(overwrite.counts).toMatchObject({ conflict: 0, update: 1 });
    await commitAndApply(h, key, overwrite.id);
    const [row] = await h.ctx().db.select().from(runbooks).where(eq(runbooks.id, "rb_manual"));
    expect(row).toMatchObject({ title: "From the repo", version: 2, currentVersion: 2 });
  });
});
