/**
 * Standalone appends of many tenants share one statement and one commit. A tenant
 * whose log another transaction holds (a long caller transaction, another server)
 * must not hold up the other tenants' appends: its own wait for the lock.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantCtx } from "../../shared/context/context";
import { createPgDatabase } from "../../shared/platform/database-pg";
import { appendReceipt } from "../../shared/receipts/append";
import { verifyLog } from "../../shared/receipts/verify-log";
import { createTenantWithAdminKey } from "../../shared/tenants/seed";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
}, 60_000);
afterAll(() => h.close());

async function tenant(slug: string): Promise<TenantCtx> {
  const created = await createTenantWithAdminKey({ ctx: h.ctx(), input: { slug, name: slug } });
  return {
    ...h.ctx(),
    tenant: { id: created.tenantId, slug, name: slug },
    actor: { type: "api_key", id: "key_isolation", role: "admin" },
  };
}

describe("receipt appends across tenants", () => {
  it("a tenant whose log another transaction holds does not hold up another tenant's appends", async () => {
    const [held, free] = [await tenant("held-log"), await tenant("free-log")];
    // Both logs written once, so this process knows their heads and batches them together.
    await Promise.all(
      [held, free].map((ctx) => appendReceipt({ ctx, input: { kind: "k", subject: "s:0" } })),
    );

    const other = createPgDatabase({ url: h.database.url ?? "", max: 1 });
    const holder = await other.pool.connect();
    try {
      await holder.query("begin");
      await holder.query("select size from receipt_logs where tenant_id = $1 for update", [held.tenant.id]);

      let heldDone = false;
      const heldAppend = appendReceipt({ ctx: held, input: { kind: "k", subject: "s:1" } }).then((r) => {
        heldDone = true;
        return r;
      });
      const freeAppend = await Promise.race([
        appendReceipt({ ctx: free, input: { kind: "k", subject: "s:1" } }),
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error("the free tenant's append waited for the held log's lock")),
            3000,
          ),
        ),
      ]);
      expect(freeAppend.receipt.seq).toBe(1);
      expect(heldDone).toBe(false);

      await holder.query("commit");
      expect((await heldAppend).receipt.seq).toBe(1);
      for (const ctx of [held, free]) expect(await verifyLog({ ctx })).toMatchObject({ ok: true, size: 2 });
    } finally {
      holder.release(true); // ends the holder's transaction if the test failed inside it
      await other.shutdown();
    }
  });
});
