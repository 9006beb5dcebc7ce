/**
 * Import sources are content-addressed: inline bodies and uploads alike are stored once at
 * imports/<tenant>/sources/<sha256>, and the plan and the import both name that digest.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createHarness, type Harness } from "../support/harness";
import { commitAndApply, incidentsCsv, type PlanBody, plan } from "./imports-support";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const sha = (text: string) => createHash("sha256").update(text).digest("hex");
const sourceKey = (sha256: string) => `imports/${h.tenantA.id}/sources/${sha256}`;

async function uploadAndPlan(file: string, name: string) {
  const key = h.tenantA.apiKey;
  const slot = await h.request("/v1/imports/uploads", {
    key,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, contentType: "text/csv" }),
  });
  const { id, url } = (await slot.json()) as { id: string; url: string };
  expect((await h.request(url, { key, method: "PUT", body: file })).status).toBe(201);
  const res = await h.request("/v1/imports", {
    key,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ kind: "incidents", format: "csv", upload: id }),
  });
  expect(res.status).toBeLessThan(300);
  return { upload: id, plan: (await res.json()) as PlanBody };
}

describe("import sources", () => {
  it("stores an inline body under sources/<sha256> once; a second import of the same bytes does not rewrite it", async () => {
    const key = h.tenantA.apiKey;
    const file = incidentsCsv(3, { start: 100 });
    const first = await plan(h, key, { kind: "incidents", body: file });
    expect(first.source.sha256).toBe(sha(file));
    const stored = await h.platform.store.get(sourceKey(sha(file)));
    expect(await stored?.text()).toBe(file);

    const put = vi.spyOn(h.platform.store, "put");
    try {
      // Same bytes, other options: another plan, the same source object.
      const second = await plan(h, key, { kind: "incidents", body: file, onConflict: "overwrite" });
      expect(second.id).not.toBe(first.id);
      expect(second.source.sha256).toBe(first.source.sha256);
      expect(put.mock.calls.map(([k]) => k)).not.toContain(sourceKey(sha(file)));
    } finally {
      put.mockRestore();
    }

    const imp = await commitAndApply(h, key, first.id);
    expect(imp.source).toEqual({ sha256: sha(file), name: null });
  });

  it("copies an upload into sources/<sha256>; a later PUT to the upload cannot change the source", async () => {
    const file = incidentsCsv(4, { start: 200 });
    const { upload, plan: planned } = await uploadAndPlan(file, "pd.csv");
    expect(planned.source).toEqual({ sha256: sha(file), name: "pd.csv" });
    expect(await (await h.platform.store.get(sourceKey(sha(file))))?.text()).toBe(file);

    // Whoever holds the upload object overwrites it: the stored source is unaffected and
    // re-planning by digest still reads the reviewed bytes.
    await h.platform.store.put(`imports/${h.tenantA.id}/uploads/${upload}`, "id,title\nx,y\n");
    const replanned = await h.request("/v1/imports", {
      key: h.tenantA.apiKey,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "incidents", format: "csv", source: sha(file), onConflict: "overwrite" }),
    });
    expect(replanned.status).toBe(201);
    expect(((await replanned.json()) as PlanBody).counts.create).toBe(4);

    const imp = await commitAndApply(h, h.tenantA.apiKey, planned.id);
    expect(imp.status).toBe("completed");
    expect(imp.source).toEqual({ sha256: sha(file), name: "pd.csv" });
  });

  it("an upload of bytes already stored inline reuses the object", async () => {
    const file = incidentsCsv(2, { start: 300 });
    await plan(h, h.tenantA.apiKey, { kind: "incidents", body: file });
    const before = await h.platform.store.head(sourceKey(sha(file)));
    const put = vi.spyOn(h.platform.store, "put");
    try {
      const { plan: planned } = await uploadAndPlan(file, "again.csv");
      expect(planned.source.sha256).toBe(sha(file));
      expect(put.mock.calls.map(([k]) => k)).not.toContain(sourceKey(sha(file)));
    } finally {
      put.mockRestore();
    }
    expect((await h.platform.store.head(sourceKey(sha(file))))?.etag).toBe(before?.etag);
  });
});
