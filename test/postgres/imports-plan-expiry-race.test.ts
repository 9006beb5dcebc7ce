/**
 * Housekeeping deletes plans no import committed, seven days on. A commit of such a plan
 * at that very moment holds the plan (FOR SHARE) in its transaction; housekeeping waits
 * for it and then sees its import, so a committed plan is never deleted under its import.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPlans } from "../../shared/db/schema";
import { insertImport } from "../../shared/imports/framework/commit/imports-repo";
import { deleteUncommittedPlan, findPlan, holdPlan } from "../../shared/imports/framework/plan/plans-repo";
import { incidentsCsv, plan } from "../db/imports-support";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
}, 60_000);
afterAll(() => h.close());

describe("a plan committed while housekeeping deletes it", () => {
  it("is kept: housekeeping waits for the commit, then finds its import", async () => {
    const { id } = await plan(h, h.tenantA.apiKey, { kind: "incidents", body: incidentsCsv(3) });
    const db = h.ctx().db;
    const stored = await findPlan(db, h.tenantA.id, id);
    let deleting: Promise<boolean> | undefined;
    let settled = false;
    await db.transaction(async (tx) => {
      expect(await holdPlan(tx, h.tenantA.id, id)).toBe(true);
      deleting = deleteUncommittedPlan(db, h.tenantA.id, id).finally(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false); // waiting for the commit's hold
      const now = new Date();
      await insertImport(tx, {
        id: "imp_racing",
        tenantId: h.tenantA.id,
        planId: id,
        kind: "incidents",
        chunksTotal: 1,
        rowsTotal: 3,
        counts: stored?.counts ?? { total: 3, create: 3, update: 0, unchanged: 0, reject: 0, conflict: 0 },
        contentKey: stored?.contentKey ?? "",
        manifestDigest: stored?.manifestDigest ?? "",
        actorType: "api_key",
        actorId: "key_race",
        actorRole: "admin",
        decisionId: stored?.decisionId ?? "",
        startedAt: now,
        createdAt: now,
        updatedAt: now,
      });
    });
    expect(await deleting).toBe(false);
    const kept = await db
      .select({ id: importPlans.id })
      .from(importPlans)
      .where(and(eq(importPlans.tenantId, h.tenantA.id), eq(importPlans.id, id)));
    expect(kept).toHaveLength(1);
  });

  it("a plan housekeeping deleted first cannot be held by a commit", async () => {
    const { id } = await plan(h, h.tenantA.apiKey, {
      kind: "incidents",
      body: incidentsCsv(3, { start: 50 }),
    });
    const db = h.ctx().db;
    expect(await deleteUncommittedPlan(db, h.tenantA.id, id)).toBe(true);
    expect(await db.transaction((tx) => holdPlan(tx, h.tenantA.id, id))).toBe(false);
  });
});
