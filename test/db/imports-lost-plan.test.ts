/**
 * A plan whose objects the store lost (a lost bucket, a database restored from a backup
 * newer than the objects): planning the same file again plans it again from its source
 * when the source is there, and otherwise answers a 409 that names what is missing and
 * how to send the file again. Reading such a plan answers the same 409, never a 500.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness";
import { commitAndApply, incidentsCsv, type PlanBody, plan, planRequest } from "./imports-support";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

/** Deletes every object under the tenant's `imports/<tenant>/<folder>/`, as a lost bucket would. */
async function lose(folder: "plans" | "sources") {
  const prefix = `imports/${h.tenantA.id}/${folder}/`;
  let lost = 0;
  for (let page = await h.platform.store.list({ prefix }); ; ) {
    for (const object of page.objects) await h.platform.store.delete(object.key);
    lost += page.objects.length;
    if (!page.cursor) break;
    page = await h.platform.store.list({ prefix, cursor: page.cursor });
  }
  return lost;
}

const byDigest = (sha256: string) =>
  h.request("/v1/imports", {
    key: h.tenantA.apiKey,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ kind: "incidents", format: "csv", source: sha256 }),
  });

interface Problem {
  status: number;
  code: string;
  importCode: string;
  detail: string;
  hint: string;
}

describe("a plan whose objects are gone from the store", () => {
  it("is planned again from the same file sent again: same plan id, its rows read, and it commits", async () => {
    const file = incidentsCsv(30, { start: 100 });
    const first = await plan(h, h.tenantA.apiKey, { kind: "incidents", body: file });
    expect(first.counts.create).toBe(30);
    expect(await lose("plans")).toBeGreaterThan(0);

    const again = await planRequest(h, h.tenantA.apiKey, { kind: "incidents", body: file });
    const body = (await again.json()) as PlanBody;
    expect(again.status, JSON.stringify(body)).toBe(201);
    expect(body.id).toBe(first.id);
    expect(body.counts).toEqual(first.counts);
    expect(body.rows.create?.items.map((row) => row.key).slice(0, 3)).toEqual([
      "inc-100",
      "inc-101",
      "inc-102",
    ]);
    expect(body.receiptId).toBe(first.receiptId);

    const rows = await h.request(`/v1/imports/plans/${first.id}/rows?action=create&limit=50`, {
      key: h.tenantA.apiKey,
    });
    expect(((await rows.json()) as { items: unknown[] }).items).toHaveLength(30);
    expect((await commitAndApply(h, h.tenantA.apiKey, first.id)).status).toBe("completed");
  });

  it("is planned again by its digest while the source is stored", async () => {
    const file = incidentsCsv(12, { start: 300 });
    const first = await plan(h, h.tenantA.apiKey, { kind: "incidents", body: file });
    await lose("plans");
    const again = await byDigest(sha(file));
    expect(again.status).toBe(201);
    expect(((await again.json()) as PlanBody).id).toBe(first.id);
  });

  it("with its source gone too: 409 naming what is missing and how to send the file again, then the file plans again", async () => {
    const file = incidentsCsv(15, { start: 500 });
    const first = await plan(h, h.tenantA.apiKey, { kind: "incidents", body: file });
    await lose("plans");
    await lose("sources");

    const read = await h.request(`/v1/imports/plans/${first.id}`, { key: h.tenantA.apiKey });
    const readProblem = (await read.json()) as Problem;
    expect(read.status, JSON.stringify(readProblem)).toBe(409);
    expect(readProblem).toMatchObject({ code: "conflict", importCode: "plan_objects_missing" });
    expect(readProblem.detail).toContain(first.id);

    const res = await byDigest(sha(file));
    const problem = (await res.json()) as Problem;
    expect(res.status, JSON.stringify(problem)).toBe(409);
    expect(problem).toMatchObject({ code: "conflict", importCode: "plan_objects_missing" });
    expect(problem.detail).toContain("create/0");
    expect(problem.detail).toContain(`sha256:${sha(file)}`);
    expect(problem.hint).toContain("POST /v1/imports/uploads");

    const resent = await planRequest(h, h.tenantA.apiKey, { kind: "incidents", body: file });
    expect(resent.status).toBe(201);
    expect(((await resent.json()) as PlanBody).counts.create).toBe(15);
    expect((await commitAndApply(h, h.tenantA.apiKey, first.id)).status).toBe("completed");
  });

  it("is returned as it is while its objects are all there", async () => {
    const file = incidentsCsv(5, { start: 700 });
    const first = await plan(h, h.tenantA.apiKey, { kind: "incidents", body: file });
    const again = await planRequest(h, h.tenantA.apiKey, { kind: "incidents", body: file });
    expect(again.status).toBe(200);
    expect(((await again.json()) as PlanBody).id).toBe(first.id);
  });
});
