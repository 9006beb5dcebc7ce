/**
 * A revert runs chunk by chunk through the queue like a commit: one transaction and one
 * `import.revert.chunk` receipt per chunk, one `import.reverted`; duplicated and redelivered
 * messages and a consumer killed mid-chunk leave the data as one clean run; a chunk failing
 * every attempt is parked and asking to revert again finishes it.
 */
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createConsumer } from "../../functions/jobs/consumer";
import {
  importChunks,
  importRevertChunks,
  importReverts,
  imports,
  incidents,
  receipts,
} from "../../shared/db/schema";
import { stateModules } from "../../shared/imports/state";
import { createHarness, type Harness } from "../support/harness";
import {
  commit,
  commitAndApply,
  getImport,
  type ImportBody,
  incidentsCsv,
  plan,
  problemOf,
} from "./imports-support";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const key = () => h.tenantA.apiKey;
const message = (importId: string, chunkNo: number) => ({
  v: 1 as const,
  type: "import.revert-chunk" as const,
  tenantId: h.tenantA.id,
  importId,
  chunkNo,
});

async function titles() {
  const rows = await h
    .ctx()
    .db.select({ key: incidents.key, title: incidents.title })
    .from(incidents)
    .where(eq(incidents.tenantId, h.tenantA.id))
    .orderBy(asc(incidents.key));
  return rows.map((r) => `${r.key}:${r.title}`);
}

async function receiptKinds(importId: string) {
  const rows = await h
    .ctx()
    .db.select({ kind: receipts.kind })
    .from(receipts)
    .where(and(eq(receipts.tenantId, h.tenantA.id), eq(receipts.subject, `import:${importId}`)));
  return rows.map((r) => r.kind).sort();
}

async function freshTenantA() {
  const { db } = h.database.connect();
  await db.delete(importRevertChunks).where(eq(importRevertChunks.tenantId, h.tenantA.id));
  await db.delete(importReverts).where(eq(importReverts.tenantId, h.tenantA.id));
  await db.delete(importChunks).where(eq(importChunks.tenantId, h.tenantA.id));
  await db.delete(imports).where(eq(imports.tenantId, h.tenantA.id));
  await db.delete(incidents).where(eq(incidents.tenantId, h.tenantA.id));
}

/** A first import (3 rows), then one that updates them and creates 3 more: two chunks (update, create). */
async function twoChunkImport() {
  await freshTenantA();
  await commitAndApply(h, key(), (await plan(h, key(), { kind: "incidents", body: incidentsCsv(3) })).id);
  const before = await titles();
  const second = await plan(h, key(), { kind: "incidents", body: incidentsCsv(6, { title: "Disk fuller" }) });
  expect(second.counts).toMatchObject({ create: 3, update: 3 });
  const imp = await commitAndApply(h, key(), second.id);
  expect(imp.progress.chunksTotal).toBe(2);
  return { imp, before };
}

/** POST …/revert with its chunk messages held back; returns the answer and the messages it sent. */
async function startRevert(importId: string) {
  const send = vi.spyOn(h.platform.queue, "send").mockResolvedValue(undefined);
  try {
    const res = await h.request(`/v1/imports/${importId}/revert`, { key: key(), method: "POST" });
    return { res, sent: send.mock.calls.map(([m]) => m) };
  } finally {
    send.mockRestore();
  }
}

describe("chunked revert", () => {
  it("reverts chunk by chunk, once, under duplicates and redeliveries; holds the kind meanwhile", async () => {
    const { imp, before } = await twoChunkImport();
    const { res, sent } = await startRevert(imp.id);
    expect(res.status).toBe(202);
    const started = (await res.json()) as ImportBody & { revert: Record<string, unknown> };
    expect(started).toMatchObject({ status: "reverting", revert: { chunksDone: 0, chunksTotal: 2 } });
    expect(sent).toEqual([message(imp.id, 0), message(imp.id, 1)]);

    // While it reverts, no other import of the kind commits.
    const other = await plan(h, key(), { kind: "incidents", body: incidentsCsv(2, { start: 900 }) });
    const refused = await commit(h, key(), other.id);
    expect(refused.status).toBe(409);
    expect((await problemOf(refused)).importCode).toBe("import_in_progress");

    for (const chunkNo of [1, 0, 1, 0]) await h.platform.queue.send(message(imp.id, chunkNo));
    await h.platform.queue.drain();
    const consumer = createConsumer(h.platform);
    for (const chunkNo of [0, 1]) {
      expect(await consumer(message(imp.id, chunkNo), { id: `again-${chunkNo}`, attempts: 2 })).toEqual({
        kind: "ack",
      });
    }

    const done = (await getImport(h, key(), imp.id)) as ImportBody & { revert: Record<string, unknown> };
    expect(done).toMatchObject({
      status: "reverted",
      revert: { chunksDone: 2, chunksTotal: 2, deleted: 3, restored: 3, skipped: 0 },
    });
    expect(done.receipts.reverted).toMatch(/^rcpt_/);
    expect(await titles()).toEqual(before);
    expect(await receiptKinds(imp.id)).toEqual([
      "import.chunk.applied",
      "import.chunk.applied",
      "import.committed",
      "import.revert.chunk",
      "import.revert.chunk",
      "import.reverted",
    ]);
    // Reverting again answers the reverted import and changes nothing.
    const again = await h.request(`/v1/imports/${imp.id}/revert`, { key: key(), method: "POST" });
    expect(again.status).toBe(200);
    expect(((await again.json()) as ImportBody).receipts.reverted).toBe(done.receipts.reverted);
    expect((await commitAndApply(h, key(), other.id)).status).toBe("completed");
  });

  it("a consumer killed mid-chunk rolls the chunk back; the retry reverts it once", async () => {
    const { imp, before } = await twoChunkImport();
    const real = stateModules.incidents.remove;
    let kills = 0;
    const spy = vi.spyOn(stateModules.incidents, "remove").mockImplementation(async (db, tenantId, keys) => {
      await real(db, tenantId, keys);
      if (keys.length > 0 && kills++ === 0) throw new Error("killed after deleting");
    });
    try {
      const { sent } = await startRevert(imp.id);
      const consumer = createConsumer(h.platform);
      const outcomes = [];
      for (const [attempt, m] of [...sent, ...sent].entries()) {
        outcomes.push((await consumer(m, { id: `d-${attempt}`, attempts: attempt + 1 })).kind);
      }
      expect(outcomes.filter((o) => o === "retry")).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
    const done = (await getImport(h, key(), imp.id)) as ImportBody & { revert: Record<string, unknown> };
    expect(done).toMatchObject({ status: "reverted", revert: { deleted: 3, restored: 3 } });
    expect(await titles()).toEqual(before);
  });

  it("parks a chunk that fails every attempt; reverting again finishes it", async () => {
    const { imp, before } = await twoChunkImport();
    const spy = vi.spyOn(stateModules.incidents, "remove").mockRejectedValue(new Error("store down"));
    const consumer = createConsumer(h.platform);
    try {
      const { sent } = await startRevert(imp.id);
      for (const m of sent)
        await consumer(m, { id: `p-${m.type}-${"chunkNo" in m ? m.chunkNo : 0}`, attempts: 5 });
    } finally {
      spy.mockRestore();
    }
    const parked = (await getImport(h, key(), imp.id)) as ImportBody & { revert: { error: string | null } };
    expect(parked.status).toBe("reverting");
    expect(parked.revert.error).toContain("POST /v1/imports/");
    expect(await titles()).not.toEqual(before);

    const retried = await h.request(`/v1/imports/${imp.id}/revert`, { key: key(), method: "POST" });
    expect(retried.status).toBe(200);
    await h.platform.queue.drain();
    expect((await getImport(h, key(), imp.id)).status).toBe("reverted");
    expect(await titles()).toEqual(before);
  });
});
