import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantCtx } from "../../shared/context/context";
import { createPgDatabase } from "../../shared/platform/database-pg";
import { appendReceipt } from "../../shared/receipts/append";
import { issueCheckpoint } from "../../shared/receipts/checkpoints";
import { verifyLog } from "../../shared/receipts/verify-log";
import { createHarness, type Harness, type SeededTenant } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
}, 60_000);
afterAll(() => h.close());

function tenantCtx(tenant: SeededTenant): TenantCtx {
  return {
    ...h.ctx(),
    tenant: { id: tenant.id, slug: tenant.slug, name: `${tenant.slug} Inc.` },
    actor: { type: "api_key", id: "key_ledgertest", role: "admin" },
  };
}

/** Each test gets a tenant of its own, so logs and seqs never depend on test order. */
let tenants = 0;
async function freshTenant(): Promise<TenantCtx> {
  const { createTenantWithAdminKey } = await import("../../shared/tenants/seed");
  const created = await createTenantWithAdminKey({
    ctx: h.ctx(),
    input: { slug: `ledger-${++tenants}`, name: "L" },
  });
  return tenantCtx({
    id: created.tenantId,
    slug: created.slug,
    apiKey: created.apiKey,
    keyFor: async () => "",
  });
}

const db = () => h.database.connect().db;

describe("appending receipts", () => {
  it("records who did what to what, with a derived id, seq 0 first and the actor as type:id", async () => {
    const ctx = await freshTenant();
    const { receipt, created } = await appendReceipt({
      ctx,
      input: {
        kind: "import.committed",
        subject: "import:imp_1",
        input: { rows: 3 },
        details: { created: 3 },
      },
    });
    expect(created).toBe(true);
    expect(receipt).toMatchObject({ seq: 0, kind: "import.committed", actor: "api_key:key_ledgertest" });
    expect(receipt.id).toMatch(/^rcpt_[0-9a-f]{64}$/);
    expect((await verifyLog({ ctx })).ok).toBe(true);
  });

  it("a retried action returns the same receipt and appends nothing, whoever retries and whenever", async () => {
    const ctx = await freshTenant();
    const input = { kind: "flag.ramped", subject: "flag:new-ui", input: { percent: 25 } };
    const first = await appendReceipt({ ctx, input });
    const retry = await appendReceipt({ ctx: { ...ctx, actor: { ...ctx.actor, id: "key_other" } }, input });
    expect(retry.created).toBe(false);
    expect(retry.receipt).toEqual(first.receipt);
    const keyed = {
      kind: "flag.ramped",
      subject: "flag:new-ui",
      idempotencyKey: "req-77",
      input: { percent: 50 },
    };
    const a = await appendReceipt({ ctx, input: keyed });
    const b = await appendReceipt({ ctx, input: { ...keyed, input: { percent: 51 } } });
    expect([a.created, b.created, b.receipt.id, b.receipt.seq]).toEqual([true, false, a.receipt.id, 1]);
    expect((await verifyLog({ ctx })).size).toBe(2);
  });

  it("keeps tenants' logs apart: the same action in two tenants is two receipts, each at seq 0", async () => {
    const [one, two] = [await freshTenant(), await freshTenant()];
    const input = { kind: "x.done", subject: "thing:1" };
    const [a, b] = [await appendReceipt({ ctx: one, input }), await appendReceipt({ ctx: two, input })];
    expect(a.receipt.id).not.toBe(b.receipt.id);
    expect([a.receipt.seq, b.receipt.seq]).toEqual([0, 0]);
  });

  it("joins the caller's transaction: rolled back with it, leaving no gap", async () => {
    const ctx = await freshTenant();
    await appendReceipt({ ctx, input: { kind: "a", subject: "s:0" } });
    await expect(
      ctx.db.transaction(async (tx) => {
        await appendReceipt({ ctx: { ...ctx, db: tx }, input: { kind: "a", subject: "s:rolled-back" } });
        throw new Error("caller failed");
      }),
    ).rejects.toThrow("caller failed");
    const committed = await ctx.db.transaction((tx) =>
      appendReceipt({ ctx: { ...ctx, db: tx }, input: { kind: "a", subject: "s:1" } }),
    );
    expect(committed.receipt.seq).toBe(1);
    expect(await verifyLog({ ctx })).toMatchObject({ ok: true, size: 2 });
  });

  it("50 concurrent appends to one tenant get seq 0..49 with no gap and no fork", async () => {
    const ctx = await freshTenant();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        appendReceipt({ ctx, input: { kind: "load.test", subject: `n:${i}` } }),
      ),
    );
    expect(results.map((r) => r.receipt.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    expect(new Set(results.map((r) => r.receipt.chain)).size).toBe(50);
    expect(await verifyLog({ ctx })).toMatchObject({ ok: true, size: 50, verified: 50 });
  });

  it("stays gap-free when appends contend across transactions and connection pools, not just one queue", async () => {
    const ctx = await freshTenant();
    // On Postgres a second pool stands in for a second server process; PGlite has one connection.
    const other = h.database.url ? createPgDatabase({ url: h.database.url, max: 10 }) : undefined;
    try {
      const otherCtx = other ? { ...ctx, db: other.connect().db } : ctx;
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) => {
          const input = { kind: "contended", subject: `n:${i}` };
          if (i % 3 === 0)
            return ctx.db.transaction((tx) => appendReceipt({ ctx: { ...ctx, db: tx }, input }));
          return appendReceipt({ ctx: i % 3 === 1 ? ctx : otherCtx, input });
        }),
      );
      expect(results.map((r) => r.receipt.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 60 }, (_, i) => i),
      );
      expect(await verifyLog({ ctx })).toMatchObject({ ok: true, size: 60 });
    } finally {
      await other?.shutdown();
    }
  });

  it("appends to many tenants at once share writes, and each log stays gap-free, also beside another pool", async () => {
    const ctxs = await Promise.all(Array.from({ length: 6 }, () => freshTenant()));
    const other = h.database.url ? createPgDatabase({ url: h.database.url, max: 4 }) : undefined;
    try {
      const otherDb = other?.connect().db;
      const results = await Promise.all(
        Array.from({ length: 180 }, (_, i) => {
          const ctx = ctxs[i % 6] as TenantCtx;
          return appendReceipt({
            ctx: otherDb && i % 5 === 0 ? { ...ctx, db: otherDb } : ctx,
            input: { kind: "spread", subject: `n:${i}` },
          });
        }),
      );
      for (const [t, ctx] of ctxs.entries()) {
        const seqs = results.filter((_, i) => i % 6 === t).map((r) => r.receipt.seq);
        expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
        expect(await verifyLog({ ctx })).toMatchObject({ ok: true, size: 30 });
      }
    } finally {
      await other?.shutdown();
    }
  });

  it("notices when another writer moved the log since this process last appended, and carries on after it", async () => {
    const ctx = await freshTenant();
    await appendReceipt({ ctx, input: { kind: "k", subject: "s:0" } }); // this process now remembers head 1
    await ctx.db.transaction((tx) =>
      appendReceipt({ ctx: { ...ctx, db: tx }, input: { kind: "k", subject: "s:1" } }),
    );
    const next = await appendReceipt({ ctx, input: { kind: "k", subject: "s:2" } });
    const after = await appendReceipt({ ctx, input: { kind: "k", subject: "s:3" } });
    expect([next.receipt.seq, after.receipt.seq]).toEqual([2, 3]);
    expect(await verifyLog({ ctx })).toMatchObject({ ok: true, size: 4 });
  });

  it("a retry arriving in a batch with new appends, and one action sent twice at once, leave no gap", async () => {
    const ctx = await freshTenant();
    const existing = await appendReceipt({ ctx, input: { kind: "k", subject: "s:old" } });
    const results = await Promise.all([
      appendReceipt({ ctx, input: { kind: "k", subject: "s:new-0" } }),
      appendReceipt({ ctx, input: { kind: "k", subject: "s:old" } }),
      appendReceipt({ ctx, input: { kind: "k", subject: "s:new-1" } }),
      appendReceipt({ ctx, input: { kind: "k", subject: "s:twice" } }),
      appendReceipt({ ctx, input: { kind: "k", subject: "s:twice" } }),
    ]);
    expect(results.map((r) => r.created)).toEqual([true, false, true, true, false]);
    expect(results[1]?.receipt).toEqual(existing.receipt);
    expect(results[4]?.receipt).toEqual(results[3]?.receipt);
    expect(results.map((r) => r.receipt.seq).sort()).toEqual([0, 1, 2, 3, 3]);
    expect(await verifyLog({ ctx })).toMatchObject({ ok: true, size: 4 });
  });

  it("refuses input it could not hash the same way twice", async () => {
    const ctx = await freshTenant();
    await expect(
      appendReceipt({ ctx, input: { kind: "a", subject: "s", details: { bad: Number.NaN } } }),
    ).resolves.toBeTruthy(); // JSON turns NaN into null, as jsonb would
    await expect(
      appendReceipt({ ctx, input: { kind: "a", subject: "s", details: { t: "\u0000" } } }),
    ).rejects.toThrow(/NUL/);
    await expect(
      appendReceipt({ ctx, input: { kind: "a", subject: "s", inputDigest: "XYZ" } }),
    ).rejects.toThrow(/inputDigest/);
  });
});

describe("verifying the log finds tampering", () => {
  async function tenWithCheckpoint() {
    const ctx = await freshTenant();
    for (let i = 0; i < 10; i++)
      await appendReceipt({ ctx, input: { kind: "k", subject: `s:${i}`, details: { i } } });
    await issueCheckpoint({ ctx });
    return ctx;
  }

  it("a row altered in the database is reported at its seq", async () => {
    const ctx = await tenWithCheckpoint();
    await db().execute(
      sql`update receipts set subject = 's:forged' where tenant_id = ${ctx.tenant.id} and seq = 4`,
    );
    expect(await verifyLog({ ctx })).toMatchObject({
      ok: false,
      firstBadSeq: 4,
      problem: "digest_mismatch",
      verified: 4,
    });
  });

  it("a deleted row is reported as the gap it leaves", async () => {
    const ctx = await tenWithCheckpoint();
    await db().execute(sql`delete from receipts where tenant_id = ${ctx.tenant.id} and seq = 6`);
    expect(await verifyLog({ ctx })).toMatchObject({ ok: false, firstBadSeq: 6, problem: "missing_entry" });
  });

  it("a deleted last row is reported against the log's size", async () => {
    const ctx = await tenWithCheckpoint();
    await db().execute(sql`delete from receipts where tenant_id = ${ctx.tenant.id} and seq = 9`);
    expect(await verifyLog({ ctx })).toMatchObject({ ok: false, firstBadSeq: 9, problem: "missing_entry" });
  });

  it("two rows swapped in order are reported at the first", async () => {
    const ctx = await tenWithCheckpoint();
    const t = ctx.tenant.id;
    await db().execute(sql`update receipts set seq = 100 where tenant_id = ${t} and seq = 2`);
    await db().execute(sql`update receipts set seq = 2 where tenant_id = ${t} and seq = 3`);
    await db().execute(sql`update receipts set seq = 3 where tenant_id = ${t} and seq = 100`);
    expect(await verifyLog({ ctx })).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  it("a row rewritten with fresh hashes all the way down still fails against the signed checkpoint", async () => {
    const ctx = await tenWithCheckpoint();
    const { receiptDigest, receiptLeafHash, nextChain } = await import(
      "../../shared/receipts/receipt-digest"
    );
    const { receiptFields } = await import("../../shared/receipts/receipt-views");
    const { receiptsAfter } = await import("../../shared/receipts/receipt-repo");
    const rows = await receiptsAfter(db(), ctx.tenant.id, -1, 100);
    let chain = "0".repeat(64);
    for (const row of rows) {
      const subject = row.seq === 5 ? "s:forged" : row.subject;
      const digest = receiptDigest({ ...receiptFields(row), subject });
      chain = nextChain(chain, digest);
      await db().execute(
        sql`update receipts set subject = ${subject}, digest = ${digest}, leaf_hash = ${receiptLeafHash(digest)}, chain = ${chain} where tenant_id = ${ctx.tenant.id} and seq = ${row.seq}`,
      );
    }
    expect(await verifyLog({ ctx })).toMatchObject({ ok: false, problem: "checkpoint_mismatch" });
  });
});
