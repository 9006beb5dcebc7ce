/**
 * The recipe of docs/importers.md, kept true: `services` (test/support/services) is a kind
 * built exactly by it (a table, a plain CSV importer, the plain state module, one registry
 * line) and registered in this test file only. Over HTTP it dry-runs, commits, re-plans to
 * updates and reverts like the built-in kinds, its triggers in place.
 */
import "../support/services/register";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missingImportTriggers } from "../../shared/db/import-triggers";
import { importTables } from "../../shared/imports/registry";
import { createHarness, type Harness } from "../support/harness";
import { migrateServices } from "../support/services/recipe";
import { services } from "../support/services/table";
import { commitAndApply, type ImportBody, plan, planRequest, problemOf, rowsOf } from "./imports-support";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await migrateServices(h.database.connect().db);
}, 120_000);
afterAll(() => h.close());

const csv = (...rows: string[]) => `key,name,owner_email,tier\n${rows.join("\n")}\n`;
const first = csv(
  "checkout-api,Checkout API,Ana@Example.com,critical",
  "search,Search,,standard",
  "batch-reports,Batch reports,ops@example.com,Best-Effort",
);

const revert = async (id: string, key = h.tenantA.apiKey) => {
  const res = await h.request(`/v1/imports/${id}/revert`, { key, method: "POST" });
  if (res.status !== 202) return res.status;
  await h.platform.queue.drain();
  const after = await h.request(`/v1/imports/${id}`, { key });
  return ((await after.json()) as ImportBody).status;
};

const stored = async (tenantId: string) =>
  (
    await h.database
      .connect()
      .db.select()
      .from(services)
      .where(eq(services.tenantId, tenantId))
      .orderBy(asc(services.key))
  ).map((r) => ({ key: r.key, name: r.name, ownerEmail: r.ownerEmail, tier: r.tier, version: r.version }));

describe("a kind built by the recipe (services)", () => {
  it("has its triggers, made by the migration helper", async () => {
    expect(importTables().some((t) => t.table === "services" && t.kind === "services")).toBe(true);
    expect(await missingImportTriggers(h.database.connect().db, importTables())).toEqual([]);
  });

  it("dry-runs, commits, re-plans to updates and reverts", async () => {
    const key = h.tenantA.apiKey;
    const planned = await plan(h, key, { kind: "services", body: first });
    expect(planned.counts).toMatchObject({ total: 3, create: 3, reject: 0 });
    expect(rowsOf(planned, "create").map((r) => r.fields)).toContainEqual({
      key: "checkout-api",
      name: "Checkout API",
      ownerEmail: "ana@example.com",
      tier: "critical",
    });
    expect(await stored(h.tenantA.id)).toEqual([]);

    const created = await commitAndApply(h, key, planned.id);
    expect(created.status).toBe("completed");
    expect(await stored(h.tenantA.id)).toEqual([
      {
        key: "batch-reports",
        name: "Batch reports",
        ownerEmail: "ops@example.com",
        tier: "best-effort",
        version: 1,
      },
      {
        key: "checkout-api",
        name: "Checkout API",
        ownerEmail: "ana@example.com",
        tier: "critical",
        version: 1,
      },
      { key: "search", name: "Search", ownerEmail: null, tier: "standard", version: 1 },
    ]);
    expect(await stored(h.tenantB.id)).toEqual([]);

    // The same file again: nothing to do. A changed tier: one update, the rest unchanged.
    expect((await plan(h, key, { kind: "services", body: first })).counts).toMatchObject({ unchanged: 3 });
    const second = csv(
      "checkout-api,Checkout API,ana@example.com,critical",
      "search,Search,search-team@example.com,critical",
      "batch-reports,Batch reports,ops@example.com,best-effort",
    );
    const replanned = await plan(h, key, { kind: "services", body: second });
    expect(replanned.counts).toMatchObject({ create: 0, update: 1, unchanged: 2 });
    expect(rowsOf(replanned, "update")[0]?.changes).toEqual({
      ownerEmail: { before: null, after: "search-team@example.com" },
      tier: { before: "standard", after: "critical" },
    });
    const updated = await commitAndApply(h, key, replanned.id);
    expect(updated.status).toBe("completed");
    const search = (await stored(h.tenantA.id)).find((s) => s.key === "search");
    expect(search).toEqual({
      key: "search",
      name: "Search",
      ownerEmail: "search-team@example.com",
      tier: "critical",
      version: 2,
    });

    // Revert sets the updated row back; the first import's rows have moved since, so it refuses.
    expect(await revert(updated.id)).toBe("reverted");
    expect((await stored(h.tenantA.id)).find((s) => s.key === "search")).toMatchObject({
      ownerEmail: null,
      tier: "standard",
    });
    expect(await revert(created.id)).toBe(409);

    // Another tenant's import of the same file: its own rows, and a revert deletes them.
    const other = await commitAndApply(
      h,
      h.tenantB.apiKey,
      (await plan(h, h.tenantB.apiKey, { kind: "services", body: first })).id,
    );
    expect((await stored(h.tenantB.id)).map((s) => s.key)).toEqual([
      "batch-reports",
      "checkout-api",
      "search",
    ]);
    expect(await revert(other.id, h.tenantB.apiKey)).toBe("reverted");
    expect(await stored(h.tenantB.id)).toEqual([]);
    expect(await stored(h.tenantA.id)).toHaveLength(3);
  });

  it("rejects bad rows with the column as written, and refuses other formats", async () => {
    const key = h.tenantA.apiKey;
    const planned = await plan(h, key, {
      kind: "services",
      body: "Service,Service Name,Owner,Tier\nBad Key!,X,not-an-email,gold\n",
    });
    expect(planned.counts).toMatchObject({ total: 1, reject: 1 });
    expect(rowsOf(planned, "reject")[0]?.error).toMatchObject({ column: "Service", code: "invalid_value" });
    const res = await planRequest(h, key, {
      kind: "services",
      body: "[]",
      contentType: "application/json",
    });
    expect(res.status).toBe(415);
    expect((await problemOf(res)).code).toBe("unsupported_media_type");
  });
});
