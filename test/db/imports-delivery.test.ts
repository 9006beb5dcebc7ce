/**
 * At-least-once delivery: duplicated and redelivered chunk messages, and a consumer killed
 * mid-chunk (a throw inside the apply transaction after its writes), leave the data exactly
 * as one clean run; a chunk failing every attempt is parked dead, the import failed, and a
 * resume finishes it.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createConsumer } from "../../functions/jobs/consumer";
import { importChunks, imports, incidents } from "../../shared/db/schema";
import type { PlanObject } from "../../shared/imports/framework/plan/plan-store";
import { stateModules } from "../../shared/imports/state";
import { createHarness, type Harness } from "../support/harness";
import {
  commit,
  commitAndApply,
  getImport,
  type ImportBody,
  incidentsCsv,
  incidentsOf,
  plan,
} from "./imports-support";

let h: Harness;
let clean: Awaited<ReturnType<typeof incidentsOf>>;
/** Three chunks of the default 5,000 rows: 5,000, 5,000 and 1,250. */
const file = incidentsCsv(11_250);

beforeAll(async () => {
  h = await createHarness();
  // The reference: one clean run of the same file, in tenant B.
  const p = await plan(h, h.tenantB.apiKey, { kind: "incidents", body: file });
  expect((await commitAndApply(h, h.tenantB.apiKey, p.id)).status).toBe("completed");
  clean = await incidentsOf(h, h.tenantB.id);
  expect(clean).toHaveLength(11_250);
});
afterAll(() => h.close());

async function hasKey(object: PlanObject, key: string) {
  for await (const rows of object.rows()) if (rows.some((row) => row.key === key)) return true;
  return false;
}

const message = (importId: string, chunkNo: number) => ({
  v: 1 as const,
  type: "import.chunk" as const,
  tenantId: h.tenantA.id,
  importId,
  chunkNo,
});

async function freshTenantA() {
  const { db } = h.database.connect();
  await db.delete(importChunks).where(eq(importChunks.tenantId, h.tenantA.id));
  await db.delete(imports).where(eq(imports.tenantId, h.tenantA.id));
  await db.delete(incidents).where(eq(incidents.tenantId, h.tenantA.id));
}

describe("duplicates and redeliveries", () => {
  it("apply each chunk once", async () => {
    await freshTenantA();
    const p = await plan(h, h.tenantA.apiKey, { kind: "incidents", body: file });
    const res = await commit(h, h.tenantA.apiKey, p.id);
    const { id } = (await res.json()) as ImportBody;
    for (const chunkNo of [0, 1, 2, 0, 1, 2]) await h.platform.queue.send(message(id, chunkNo));
    await h.platform.queue.drain();
    const consumer = createConsumer(h.platform);
    for (const chunkNo of [0, 1, 2]) {
      expect(await consumer(message(id, chunkNo), { id: `redelivery-${chunkNo}`, attempts: 3 })).toEqual({
        kind: "ack",
      });
    }
    const done = await getImport(h, h.tenantA.apiKey, id);
    expect(done).toMatchObject({ status: "completed", progress: { chunksDone: 3, rowsApplied: 11_250 } });
    expect(done.receipts.chunks).toHaveLength(3);
    expect(await incidentsOf(h, h.tenantA.id)).toEqual(clean);
  });
});

describe("a row created while the import applies", () => {
  it("is skipped by its chunk, named in skippedKeys and left as it is; the other rows apply", async () => {
    await freshTenantA();
    // Just before chunk 1 writes, inc-7500 (one of its rows) appears, opened by another path.
    const state = stateModules.incidents as Required<typeof stateModules.incidents>;
    const real = state.insertPlanned;
    const spy = vi.spyOn(state, "insertPlanned").mockImplementation(async (db, input) => {
      if (await hasKey(input.object, "inc-7500")) {
        await db.insert(incidents).values({
          id: "inc_meanwhile",
          tenantId: h.tenantA.id,
          key: "inc-7500",
          title: "Opened by hand",
          status: "triggered",
          openedAt: new Date(),
          source: "api",
        });
      }
      return real(db, input);
    });
    try {
      const p = await plan(h, h.tenantA.apiKey, { kind: "incidents", body: file });
      const done = await commitAndApply(h, h.tenantA.apiKey, p.id);
      expect(done).toMatchObject({ status: "completed", skippedKeys: ["inc-7500"] });
      expect(done.progress).toMatchObject({ rowsApplied: 11_249 });
      const rows = await incidentsOf(h, h.tenantA.id);
      expect(rows.find((r) => r.key === "inc-7500")).toMatchObject({ title: "Opened by hand", version: 1 });
      expect(rows.filter((r) => r.key !== "inc-7500")).toEqual(clean.filter((r) => r.key !== "inc-7500"));
    } finally {
      spy.mockRestore();
    }
  });
});

describe("a consumer killed mid-chunk", () => {
  it("rolls the chunk back and the retry applies it once", async () => {
    await freshTenantA();
    // Create chunks of incidents take the bulk path: kill the consumer right after it wrote.
    const state = stateModules.incidents as Required<typeof stateModules.incidents>;
    const real = state.insertPlanned;
    let kills = 0;
    const spy = vi.spyOn(state, "insertPlanned").mockImplementation(async (db, input) => {
      const written = await real(db, input);
      if (kills++ === 0) throw new Error("killed after writing");
      return written;
    });
    try {
      const p = await plan(h, h.tenantA.apiKey, { kind: "incidents", body: file });
      const { id } = (await (await commit(h, h.tenantA.apiKey, p.id)).json()) as ImportBody;
      await h.platform.queue.drain();
      const chunks = await h.ctx().db.select().from(importChunks).where(eq(importChunks.importId, id));
      const failed = chunks.find((c) => c.lastError === "killed after writing");
      expect(failed?.status).toBe("pending");
      expect(await incidentsOf(h, h.tenantA.id)).toHaveLength(11_250 - (failed?.rows ?? 0));
      const consumer = createConsumer(h.platform);
      expect(await consumer(message(id, failed?.chunkNo ?? 0), { id: "retry", attempts: 2 })).toEqual({
        kind: "ack",
      });
      expect(await getImport(h, h.tenantA.apiKey, id)).toMatchObject({ status: "completed" });
      expect(await incidentsOf(h, h.tenantA.id)).toEqual(clean);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("a chunk that fails every attempt", () => {
  it("is parked dead, the import failed with what to do, and a resume finishes it", async () => {
    await freshTenantA();
    const state = stateModules.incidents as Required<typeof stateModules.incidents>;
    const spy = vi.spyOn(state, "insertPlanned").mockRejectedValue(new Error("disk on fire"));
    const p = await plan(h, h.tenantA.apiKey, { kind: "incidents", body: incidentsCsv(10) });
    const { id } = (await (await commit(h, h.tenantA.apiKey, p.id)).json()) as ImportBody;
    const consumer = createConsumer(h.platform);
    expect(await consumer(message(id, 0), { id: "last", attempts: 5 })).toMatchObject({ kind: "dead" });
    spy.mockRestore();
    const failed = await getImport(h, h.tenantA.apiKey, id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/Chunk 0 failed 5 times: disk on fire.*resume/);
    expect(failed.progress.chunksDead).toBe(1);
    const [chunk] = await h
      .ctx()
      .db.select()
      .from(importChunks)
      .where(and(eq(importChunks.importId, id), eq(importChunks.chunkNo, 0)));
    expect(chunk).toMatchObject({ status: "dead", lastError: "disk on fire" });

    const resumed = await h.request(`/v1/imports/${id}/resume`, { key: h.tenantA.apiKey, method: "POST" });
    expect(resumed.status).toBe(202);
    await h.platform.queue.drain();
    expect(await getImport(h, h.tenantA.apiKey, id)).toMatchObject({ status: "completed", error: null });
    const first10 = new Set(Array.from({ length: 10 }, (_, i) => `inc-${i}`));
    expect(await incidentsOf(h, h.tenantA.id)).toEqual(clean.filter((r) => first10.has(r.key)));
  });
});
