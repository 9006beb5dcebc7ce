import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantCtx } from "../../shared/context/context";
import { receiptLogs, receipts, receiptTreeNodes } from "../../shared/db/schema";
import { fixedClock } from "../../shared/platform/clock";
import { appendReceipt } from "../../shared/receipts/append";
import { fromHex, type Hash, toHex } from "../../shared/receipts/hashing";
import { loadLogTree } from "../../shared/receipts/log-tree";
import { appendToFrontier } from "../../shared/receipts/merkle-frontier";
import { keepStoredNodes, type TreeNode } from "../../shared/receipts/tree/stored-levels";
import { createHarness, type Harness, type SeededTenant } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
}, 60_000);
afterAll(() => h.close());

const clock = fixedClock("2030-01-01T00:00:00.000Z");
const ctxFor = (tenant: SeededTenant): TenantCtx => ({
  ...h.ctx(),
  clock,
  tenant: { id: tenant.id, slug: tenant.slug, name: `${tenant.slug} Inc.` },
  actor: { type: "api_key", id: "key_tree", role: "admin" },
});
const db = () => h.ctx().db;

/** Seeded, so a failing run can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  return (below: number) => {
    a = (a * 1664525 + 1013904223) >>> 0;
    return Math.floor((a / 4294967296) * below);
  };
}
const next = random(42);

let counter = 0;
/** `n` appends at once (they share commits) and, now and then, one inside a caller's transaction. */
async function appendSome(tenant: SeededTenant, n: number) {
  const ctx = ctxFor(tenant);
  const input = () => ({ kind: "tree.test", subject: `thing:${counter++}`, details: { n } });
  await Promise.all(Array.from({ length: n }, () => appendReceipt({ ctx, input: input() })));
  if (next(3) === 0)
    await ctx.db.transaction((tx) => appendReceipt({ ctx: { ...ctx, db: tx }, input: input() }));
}

async function storedNodes(tenantId: string) {
  const rows = await db()
    .select()
    .from(receiptTreeNodes)
    .where(eq(receiptTreeNodes.tenantId, tenantId))
    .orderBy(asc(receiptTreeNodes.level), asc(receiptTreeNodes.idx));
  return rows.map((r) => `${r.level}:${r.idx}:${r.hash}`);
}

/** The nodes the tenant's log should hold, from its leaves alone. */
async function nodesFromLeaves(tenantId: string) {
  const leaves = await db()
    .select({ leafHash: receipts.leafHash })
    .from(receipts)
    .where(eq(receipts.tenantId, tenantId))
    .orderBy(asc(receipts.seq));
  const nodes: TreeNode[] = [];
  let frontier: Hash[] = [];
  leaves.forEach((leaf, seq) => {
    frontier = appendToFrontier(frontier, seq, fromHex(leaf.leafHash), keepStoredNodes(tenantId, nodes));
  });
  return nodes.sort((a, b) => a.level - b.level || a.idx - b.idx).map((n) => `${n.level}:${n.idx}:${n.hash}`);
}

async function logSize(tenantId: string) {
  const [head] = await db().select().from(receiptLogs).where(eq(receiptLogs.tenantId, tenantId));
  return head?.size ?? 0;
}

interface Checkpoint {
  treeSize: number;
  rootHash: string;
}
interface Proved {
  inclusion: { leafIndex: number; treeSize: number; rootHash: string; path: string[] };
}

/** Random receipts' proofs over HTTP against the full rebuild's. */
async function expectProofsEqualRebuild(tenant: SeededTenant, checkpoints: Checkpoint[]) {
  const size = await logSize(tenant.id);
  const tree = await loadLogTree(db(), tenant.id, size);
  for (let i = 0; i < 25; i++) {
    const seq = next(size);
    const [row] = await db()
      .select({ id: receipts.id })
      .from(receipts)
      .where(and(eq(receipts.tenantId, tenant.id), eq(receipts.seq, seq)));
    const res = await h.request(`/v1/receipts/${row?.id}`, { key: tenant.apiKey });
    const { inclusion } = (await res.json()) as Proved;
    expect(inclusion.path, `seq ${seq} of ${inclusion.treeSize}`).toEqual(
      tree.inclusionProof(seq, inclusion.treeSize).map(toHex),
    );
    expect(inclusion.rootHash).toBe(toHex(tree.root(inclusion.treeSize)));
  }
  for (const [i, from] of checkpoints.entries()) {
    for (const to of checkpoints.slice(i)) {
      const res = await h.request(`/v1/checkpoints/consistency?from=${from.treeSize}&to=${to.treeSize}`, {
        key: tenant.apiKey,
      });
      const { proof } = (await res.json()) as { proof: string[] };
      expect(proof, `${from.treeSize} → ${to.treeSize}`).toEqual(
        tree.consistencyProof(from.treeSize, to.treeSize).map(toHex),
      );
    }
  }
}

describe("the stored Merkle tree", () => {
  const checkpoints: Checkpoint[] = [];

  it("is written with the appends, and proofs over HTTP equal the full rebuild's at random sizes", async () => {
    for (let round = 0; round < 6; round++) {
      await appendSome(h.tenantA, 1 + next(90));
      const res = await h.request("/v1/checkpoints", { method: "POST", key: h.tenantA.apiKey });
      checkpoints.push((await res.json()) as Checkpoint);
    }
    await appendSome(h.tenantA, 1 + next(40));
    expect(await logSize(h.tenantA.id)).toBeGreaterThan(100);
    expect(await storedNodes(h.tenantA.id)).toEqual(await nodesFromLeaves(h.tenantA.id));
    await expectProofsEqualRebuild(h.tenantA, checkpoints);
  });

  it("a log written before the tree was stored gets its nodes on its first proof read", async () => {
    const { createTenantWithAdminKey } = await import("../../shared/tenants/seed");
    const created = await createTenantWithAdminKey({ ctx: h.ctx(), input: { slug: "older", name: "Older" } });
    const older: SeededTenant = {
      id: created.tenantId,
      slug: "older",
      apiKey: created.apiKey,
      keyFor: h.tenantA.keyFor,
    };
    await appendSome(older, 150);
    const res = await h.request("/v1/checkpoints", { method: "POST", key: older.apiKey });
    // What a log from before the stored tree looks like after the migration: no nodes, and the mark.
    await db().delete(receiptTreeNodes).where(eq(receiptTreeNodes.tenantId, older.id));
    await db()
      .update(receiptLogs)
      .set({ treeMissingBelow: sql`${receiptLogs.size}` })
      .where(eq(receiptLogs.tenantId, older.id));
    // Appends after the migration store their own nodes; the first proof read builds the rest.
    await appendSome(older, 20);
    await expectProofsEqualRebuild(older, [(await res.json()) as Checkpoint]);
    expect(await storedNodes(older.id)).toEqual(await nodesFromLeaves(older.id));
    const [head] = await db().select().from(receiptLogs).where(eq(receiptLogs.tenantId, older.id));
    expect(head?.treeMissingBelow).toBe(0);
  });

  it("another tenant's log has its own tree", async () => {
    await appendSome(h.tenantB, 40);
    const res = await h.request("/v1/checkpoints", { method: "POST", key: h.tenantB.apiKey });
    await expectProofsEqualRebuild(h.tenantB, [(await res.json()) as Checkpoint]);
  });
});
