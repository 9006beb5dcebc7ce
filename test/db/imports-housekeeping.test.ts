/**
 * The `housekeeping` cron task: expired Idempotency-Keys are freed, plans never committed
 * are deleted (row and objects) after the plan retention, expired upload slots after theirs,
 * sources no plan names once unused for the source retention; committed plans and their
 * sources are kept.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  housekeeping,
  planRetentionDays,
  sourceRetentionDays,
  uploadRetentionHours,
} from "../../shared/cron/housekeeping";
import { runScheduled } from "../../shared/cron/scheduled";
import { sourceKey, stagingPrefix } from "../../shared/imports/framework/sources/sources";
import { uploadTtlSeconds } from "../../shared/imports/framework/sources/uploads";
import { createHarness, type Harness } from "../support/harness";
import { commitAndApply, incidentsCsv, plan, planRequest } from "./imports-support";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const hour = 60 * 60 * 1000;
/** The cron as it runs `ms` from now. */
const runAt = (ms: number) => housekeeping({ ...h.ctx(), clock: { now: () => new Date(Date.now() + ms) } });
const objectsUnder = async (prefix: string) => (await h.platform.store.list({ prefix })).objects.length;

describe("housekeeping", () => {
  it("is registered with the scheduled tasks", async () => {
    const results = await runScheduled({ ctx: h.ctx(), cron: "* * * * *" });
    expect(results.housekeeping).toMatchObject({ ok: true });
  });

  it("frees an Idempotency-Key after its 24 hours, not before", async () => {
    const key = h.tenantA.apiKey;
    const headers = { "idempotency-key": '"housekeeping-1"' };
    const first = await planRequest(h, key, { kind: "incidents", body: incidentsCsv(1), headers });
    expect(first.status).toBe(201);
    const other = { kind: "incidents", body: incidentsCsv(1, { start: 7 }), headers };
    expect((await planRequest(h, key, other)).status).toBe(422);

    expect((await runAt(23 * hour)).idempotencyKeys).toBe(0);
    expect((await planRequest(h, key, other)).status).toBe(422);
    expect((await runAt(25 * hour)).idempotencyKeys).toBeGreaterThanOrEqual(1);
    // The key is free: another request with it runs (a new plan), not a 422.
    expect((await planRequest(h, key, other)).status).toBe(201);
  });

  it("deletes plans never committed after the retention, with their objects; keeps committed ones", async () => {
    const key = h.tenantA.apiKey;
    const abandoned = await plan(h, key, { kind: "incidents", body: incidentsCsv(3, { start: 100 }) });
    const committed = await plan(h, key, { kind: "incidents", body: incidentsCsv(3, { start: 200 }) });
    const imp = await commitAndApply(h, key, committed.id);
    const folder = (id: string) => `imports/${h.tenantA.id}/plans/${id}/`;
    expect(await objectsUnder(folder(abandoned.id))).toBeGreaterThan(0);

    const day = 24 * hour;
    expect((await runAt((planRetentionDays - 1) * day)).plans).toBe(0);
    expect((await h.request(`/v1/imports/plans/${abandoned.id}`, { key })).status).toBe(200);

    const swept = await runAt((planRetentionDays + 1) * day);
    expect(swept.plans).toBeGreaterThanOrEqual(1);
    expect(await objectsUnder(folder(abandoned.id))).toBe(0);
    expect((await h.request(`/v1/imports/plans/${abandoned.id}`, { key })).status).toBe(404);
    expect(
      (await h.request(`/v1/imports/plans/${abandoned.id}/commit`, { key, method: "POST" })).status,
    ).toBe(404);

    expect((await h.request(`/v1/imports/plans/${committed.id}`, { key })).status).toBe(200);
    expect(await objectsUnder(folder(committed.id))).toBeGreaterThan(0);
    expect((await h.request(`/v1/imports/${imp.id}/manifest`, { key })).status).toBe(200);

    // The same file can be planned again (its source is stored again if it was swept).
    const again = await plan(h, key, { kind: "incidents", body: incidentsCsv(3, { start: 100 }) });
    expect(again.source.sha256).toBe(abandoned.source.sha256);
  });

  it("deletes expired upload slots and their objects; a source planned from one stays", async () => {
    const key = h.tenantA.apiKey;
    const slot = async () => {
      const res = await h.request("/v1/imports/uploads", {
        key,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ contentType: "text/csv" }),
      });
      return (await res.json()) as { id: string; url: string };
    };
    const planned = await slot();
    const file = incidentsCsv(2, { start: 300 });
    expect((await h.request(planned.url, { key, method: "PUT", body: file })).status).toBe(201);
    const planUpload = (upload: string) =>
      h.request("/v1/imports", {
        key,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ kind: "incidents", format: "csv", upload }),
      });
    const first = await planUpload(planned.id);
    expect(first.status).toBe(201);
    const { source } = (await first.json()) as { source: { sha256: string } };
    const unused = await slot();
    const uploadKey = (id: string) => `imports/${h.tenantA.id}/uploads/${id}`;
    // What a plan that crashed mid-way leaves: a snapshot of the upload.
    const leftover = `${stagingPrefix(h.tenantA.id, planned.id)}run_crashed`;
    await h.platform.store.put(leftover, file);
    expect(await objectsUnder(`imports/${h.tenantA.id}/staging/`)).toBe(1);

    const expired = uploadTtlSeconds * 1000;
    expect((await runAt(expired + (uploadRetentionHours - 1) * hour)).uploads).toBe(0);
    expect(await h.platform.store.head(uploadKey(planned.id))).not.toBeNull();

    expect((await runAt(expired + (uploadRetentionHours + 1) * hour)).uploads).toBeGreaterThanOrEqual(2);
    expect(await h.platform.store.head(uploadKey(planned.id))).toBeNull();
    expect(await h.platform.store.head(leftover)).toBeNull();
    expect((await planUpload(planned.id)).status).toBe(404);
    expect((await h.request(unused.url, { key, method: "PUT", body: file })).status).toBe(404);

    const byDigest = await h.request("/v1/imports", {
      key,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        kind: "incidents",
        format: "csv",
        source: source.sha256,
        onConflict: "overwrite",
      }),
    });
    expect(byDigest.status).toBe(201);
  });

  it("deletes a source no plan names once unused for the retention; keeps a committed import's source", async () => {
    const key = h.tenantA.apiKey;
    const abandoned = await plan(h, key, { kind: "incidents", body: incidentsCsv(2, { start: 500 }) });
    const committed = await plan(h, key, { kind: "incidents", body: incidentsCsv(2, { start: 600 }) });
    await commitAndApply(h, key, committed.id);
    const stored = (sha: string) => h.platform.store.head(sourceKey(h.tenantA.id, sha));
    const byDigest = (sha: string) =>
      h.request("/v1/imports", {
        key,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ kind: "incidents", format: "csv", source: sha }),
      });
    const day = 24 * hour;

    expect((await runAt((sourceRetentionDays - 1) * day)).sources).toBe(0);
    expect(await stored(abandoned.source.sha256)).not.toBeNull();

    const swept = await runAt((Math.max(sourceRetentionDays, planRetentionDays) + 1) * day);
    expect(swept.sources).toBeGreaterThanOrEqual(1);
    expect(await stored(abandoned.source.sha256)).toBeNull();
    expect((await byDigest(abandoned.source.sha256)).status).toBe(404);

    expect(await stored(committed.source.sha256)).not.toBeNull();
    expect((await h.request(`/v1/imports/plans/${committed.id}`, { key })).status).toBe(200);
    expect((await byDigest(committed.source.sha256)).status).not.toBe(404);
  });
});
