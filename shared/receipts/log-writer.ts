/**
 * Writes to a tenant's log under its head-row lock. One append or a batch: either
 * way one transaction takes the lock once (SELECT … FOR UPDATE), seals each
 * receipt (digest, leaf, chain, O(log n) frontier update), inserts the rows and
 * moves the head in one statement, and commits.
 */
import type { TenantCtx } from "../context/context";
import { isUniqueViolation } from "../db/errors";
import type { Receipt } from "../db/schema";
import { fromHex, type Hash, toHex } from "./hashing";
import {
  createLogHead,
  findReceipt,
  insertAndAdvance,
  insertIfHeadsAre,
  insertManyAndAdvance,
  type LogHead,
  lockLogHead,
} from "./log-repo";
import { emptyRoot, leafHash } from "./merkle";
import { appendToFrontier, frontierRoot } from "./merkle-frontier";
import { chainHash, receiptDigest } from "./receipt-digest";
import { receiptFields } from "./receipt-views";
import { keepStoredNodes, type TreeNode } from "./tree/stored-levels";

export type WriterCtx = Pick<TenantCtx, "db" | "clock" | "tenant">;

/** A receipt before the log gives it a place: everything but seq, time and hashes. */
export type Draft = Omit<Receipt, "seq" | "occurredAt" | "digest" | "leafHash" | "chain">;

export interface AppendResult {
  receipt: Receipt;
  /** False when the same action was already recorded: the earlier receipt is returned. */
  created: boolean;
}

const emptyRootHex = toHex(emptyRoot);

/** Appends one receipt; a receipt with the same id already in the log is returned instead. */
async function writeOne(ctx: WriterCtx, draft: Draft): Promise<AppendResult> {
  return ctx.db.transaction(async (tx) => {
    const head = await lockOrCreateHead(tx, ctx);
    const sealed = seal([draft], head, ctx.clock.now());
    const [row] = sealed.rows;
    if (!row) throw new Error("sealing produced no row");
    if (await insertAndAdvance(tx, row, sealed.head, sealed.nodes)) return { receipt: row, created: true };
    const existing = await findReceipt(tx, draft.tenantId, draft.id);
    if (!existing) throw new Error(`receipt ${draft.id} conflicted but cannot be read`);
    return { receipt: existing, created: false };
  });
}

/**
 * `writeOne`, and should two appends of one id ever race past the lock (they cannot
 * under READ COMMITTED, but a unique_violation must still never reach a caller as a
 * failure), the loser returns the winner's receipt.
 */
export async function appendOrFind(ctx: WriterCtx, draft: Draft): Promise<AppendResult> {
  try {
    return await writeOne(ctx, draft);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await findReceipt(ctx.db, draft.tenantId, draft.id);
    if (!existing) throw error;
    return { receipt: existing, created: false };
  }
}

/** Appends distinct new receipts in order, all or nothing (unique_violation if one already exists). */
export async function writeMany(ctx: WriterCtx, drafts: Draft[]): Promise<Written> {
  return ctx.db.transaction(async (tx) => {
    const head = await lockOrCreateHead(tx, ctx);
    const sealed = seal(drafts, head, ctx.clock.now());
    await insertManyAndAdvance(tx, sealed.rows, sealed.head, sealed.nodes);
    return sealed;
  });
}

/** Sealed rows and the head they lead to. */
export interface Written {
  rows: Receipt[];
  head: LogHead;
}

/** What sealing yields: the rows, the head, and the stored tree nodes the rows complete. */
interface Sealed extends Written {
  head: LogHead & { updatedAt: Date };
  nodes: TreeNode[];
}

/**
 * Appends distinct new receipts for several tenants, each after the head this
 * process last wrote for it, in one autocommit statement and without waiting for
 * locks first. Returns what was written for each tenant whose head was still the
 * expected one; the others (another writer appended since) take the locking path.
 */
export async function writeAfter(
  batches: { ctx: WriterCtx; drafts: Draft[]; expected: LogHead }[],
): Promise<Map<string, Written>> {
  const [first] = batches;
  if (!first) return new Map();
  const sealed = batches.map(({ ctx, drafts, expected }) => ({
    tenantId: ctx.tenant.id,
    expected,
    ...seal(drafts, expected, ctx.clock.now()),
  }));
  const moved = await insertIfHeadsAre(
    first.ctx.db,
    sealed.map((s) => ({ rows: s.rows, expected: s.expected, next: s.head, nodes: s.nodes })),
  );
  return new Map(sealed.filter((s) => moved.has(s.tenantId)).map((s) => [s.tenantId, s]));
}

async function lockOrCreateHead(tx: WriterCtx["db"], ctx: WriterCtx): Promise<LogHead> {
  const head = await lockLogHead(tx, ctx.tenant.id);
  if (head) return head;
  await createLogHead(tx, ctx.tenant.id, emptyRootHex, ctx.clock.now());
  const created = await lockLogHead(tx, ctx.tenant.id);
  if (!created) throw new Error(`receipt log head for ${ctx.tenant.id} missing after creation`);
  return created;
}

/**
 * Gives each draft the next seq, then its digest, leaf and chain; folds the leaves into the
 * frontier, keeping the tree nodes they complete on stored levels (written in the same statement).
 * Rows are built field by field: object spreads of a draft cost more here than the hashing.
 */
function seal(drafts: Draft[], head: LogHead, occurredAt: Date): Sealed {
  let size = head.size;
  let chain = fromHex(head.chain);
  let frontier: Hash[] = head.frontier.map(fromHex);
  const nodes: TreeNode[] = [];
  const keep = drafts[0] ? keepStoredNodes(drafts[0].tenantId, nodes) : undefined;
  const rows: Receipt[] = drafts.map((d) => {
    const row: Receipt = {
      tenantId: d.tenantId,
      seq: size++,
      id: d.id,
      kind: d.kind,
      actor: d.actor,
      subject: d.subject,
      inputDigest: d.inputDigest,
      outputDigest: d.outputDigest,
      decisionId: d.decisionId,
      links: d.links,
      details: d.details,
      occurredAt,
      digest: "",
      leafHash: "",
      chain: "",
    };
    row.digest = receiptDigest(receiptFields(row));
    const digestBytes = fromHex(row.digest);
    const leaf = leafHash(digestBytes);
    frontier = appendToFrontier(frontier, row.seq, leaf, keep);
    chain = chainHash(chain, digestBytes);
    row.leafHash = toHex(leaf);
    row.chain = toHex(chain);
    return row;
  });
  return {
    rows,
    head: {
      size,
      chain: toHex(chain),
      frontier: frontier.map(toHex),
      rootHash: toHex(frontierRoot(frontier)),
      updatedAt: occurredAt,
    },
    nodes,
  };
}
