/**
 * An incidents plan keeps its new rows as slices of the stored source: no create rows are
 * written out again, every page of create rows reads them back from the source, the commit
 * stores them, and a source that no longer reads as planned fails the read with a problem.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPlans } from "../../shared/db/schema";
import { sourceKey } from "../../shared/imports/framework/sources/sources";
import { createHarness, type Harness } from "../support/harness";
import { commitAndApply, incidentsCsv, type PlanRowBody, plan, storedIncidents } from "./imports-support";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

/** 7,000 incidents with a byte order mark and CRLF, two bad timestamps and a duplicate id. */
function partnerFile(): string {
  const lines = incidentsCsv(7_000).trimEnd().split("\n");
  lines[10] = (lines[10] as string).replace(/,[^,]*$/, ",yesterday");
  lines[5_000] = (lines[5_000] as string).replace(/,[^,]*$/, ",2026-13-01T00:00:00Z");
  lines.push((lines[7] as string).replace("Disk full", "Again"));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

async function createRows(key: string, planId: string): Promise<PlanRowBody[]> {
  const rows: PlanRowBody[] = [];
  let next: string | null = `/v1/imports/plans/${planId}/rows?action=create&limit=500`;
  while (next) {
    const res = await h.request(next, { key });
    const page = (await res.json()) as { items: PlanRowBody[]; nextCursor: string | null };
    expect(res.status, JSON.stringify(page)).toBe(200);
    rows.push(...page.items);
    next = page.nextCursor
      ? `/v1/imports/plans/${planId}/rows?action=create&limit=500&cursor=${page.nextCursor}`
      : null;
  }
  return rows;
}

describe("an incidents plan made of source slices", () => {
  it("writes no create rows, pages them from the source and commits them", async () => {
    const key = h.tenantA.apiKey;
    const planned = await plan(h, key, { kind: "incidents", body: partnerFile() });
    expect(planned.counts).toMatchObject({ create: 6_998, reject: 3 });

    const [stored] = await h.ctx().db.select().from(importPlans).where(eq(importPlans.id, planned.id));
    expect(stored?.sourceLayout).toMatchObject({
      headers: ["id", "title", "status", "urgency", "created_on"],
      dialect: { newline: "\r\n", delimiter: "," },
    });
    const objects = await h.platform.store.list({ prefix: `${stored?.objectPrefix}/create/` });
    expect(objects.objects.map((o) => o.key.split("/").at(-1)).sort()).toEqual([
      "0.slice.json",
      "1.slice.json",
    ]);

    const rows = await createRows(key, planned.id);
    expect(rows).toHaveLength(6_998);
    expect(rows.map((r) => r.row)).toEqual(
      Array.from({ length: 7_000 }, (_, i) => i + 1).filter((row) => row !== 10 && row !== 5_000),
    );
    expect(rows[0]).toEqual({
      row: 1,
      key: "inc-0",
      entity: "incident",
      action: "create",
      fields: expect.objectContaining({
        id: "inc-0",
        title: "Disk full 0",
        createdOn: "2026-01-01T00:00:00Z",
      }),
      decisionId: planned.decisionId,
      decision: "allow",
    });

    const imp = await commitAndApply(h, key, planned.id);
    expect(imp.status).toBe("completed");
    const incidents = await storedIncidents(h, h.tenantA.id);
    expect(incidents).toHaveLength(6_998);
    expect(incidents.map((i) => i.key).sort()).toEqual(rows.map((r) => r.key).sort());
  });

  it("answers a problem, not other rows, when the source no longer reads as planned", async () => {
    const key = h.tenantB.apiKey;
    const file = incidentsCsv(3_000, { title: "Fan noise" });
    const planned = await plan(h, key, { kind: "incidents", body: file });
    // The stored object altered in place (as a broken store would): one row no longer maps.
    await h.platform.store.put(
      sourceKey(h.tenantB.id, planned.source.sha256),
      file.replace("inc-20,Fan noise 20,resolved", "inc-20,Fan noise 20,reopened"),
    );
    const res = await h.request(`/v1/imports/plans/${planned.id}/rows?action=create&limit=50`, { key });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ code: "internal" });
  });
});
