/**
 * incidents has no row-level foreign key to tenants: the incidents_state_* statement
 * triggers check the tenant once per statement (their tenant_state row references
 * tenants). The guarantee is the foreign key's: no incident of a tenant that does not
 * exist, and no deleting a tenant that has incidents.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { incidents, tenants } from "../../shared/db/schema";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
}, 60_000);
afterAll(() => h.close());

const incident = (tenantId: string, key: string) => ({
  id: `inc_check_${key}`,
  tenantId,
  key,
  title: "Disk full",
  status: "triggered" as const,
  openedAt: new Date("2026-01-01T00:00:00Z"),
  source: "api" as const,
});

/** The Postgres error code under whatever drizzle wraps it in. */
async function codeOf(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
  } catch (error) {
    for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
      const code = (e as { code?: unknown }).code;
      if (typeof code === "string") return code;
    }
    return "no code";
  }
  return undefined;
}

describe("an incident's tenant", () => {
  it("must exist: the insert fails as a foreign key violation and stores nothing", async () => {
    const db = h.ctx().db;
    const rows = [incident(h.tenantA.id, "ok-1"), incident("ten_nosuchtenant000000", "orphan-1")];
    expect(await codeOf(db.insert(incidents).values(rows))).toBe("23503");
    expect(await db.select().from(incidents).where(eq(incidents.key, "ok-1"))).toEqual([]);
    expect(await db.select().from(incidents).where(eq(incidents.key, "orphan-1"))).toEqual([]);
  });

  it("must exist when an update moves the row to another tenant", async () => {
    const db = h.ctx().db;
    await db.insert(incidents).values(incident(h.tenantA.id, "moved-1"));
    const moving = db
      .update(incidents)
      .set({ tenantId: "ten_nosuchtenant000000" })
      .where(eq(incidents.key, "moved-1"));
    expect(await codeOf(moving)).toBe("23503");
    const [row] = await db.select().from(incidents).where(eq(incidents.key, "moved-1"));
    expect(row?.tenantId).toBe(h.tenantA.id);
  });

  it("cannot be deleted while it has incidents", async () => {
    const db = h.ctx().db;
    // A tenant with nothing but one incident: no other table holds it.
    await db.insert(tenants).values({ id: "ten_onlyincidents00000", slug: "only-incidents", name: "Only" });
    await db.insert(incidents).values(incident("ten_onlyincidents00000", "kept-1"));
    expect(await codeOf(db.delete(tenants).where(eq(tenants.id, "ten_onlyincidents00000")))).toBe("23503");
    expect(await db.select().from(incidents).where(eq(incidents.key, "kept-1"))).toHaveLength(1);
  });
});
