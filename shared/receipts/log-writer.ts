/**
 * Writes to a tenant's log under its head-row lock. One append or a batch: either
 * way one transaction takes the lock once (SELECT … FOR UPDATE), seals each
 * receipt (digest, leaf, chain, O(log n) frontier update), inserts the rows and
 * moves the head in one statement, and commits.
 */
import type { TenantCtx } from "../context/context";
import type { Receipt } from "../db/schema";
import { fromHex, type Hash, toHex } from "./hashing";
import {
  createLogHead,
  findReceipt,
  insertAndAdvance,
  insertIfHeadIs,
  insertManyAndAdvance,
  isUniqueViolation,
  type LogHead,
  lockLogHead,
} from "./log-repo";
import { emptyRoot, leafHash } from "./merkle";
import { appendToFrontier, frontierRoot } from "./merkle-frontier";
import { nextChain, receiptDigest } from "./receipt-digest";

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
    if (await insertAndAdvance(tx, row, sealed.head)) return { receipt: row, created: true };
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
export async function writeMany(
  ctx: WriterCtx,
  drafts: Draft[],
): Promise<{ rows: Receipt[]; head: LogHead }> {
  return ctx.db.transaction(async (tx) => {
    const head = await lockOrCreateHead(tx, ctx);
    const sealed = seal(drafts, head, ctx.clock.now());
    await insertManyAndAdvance(tx, sealed.rows, sealed.head);
    return sealed;
  });
}

/**
 * Appends distinct new receipts after `expected`, the head this process last wrote,
 * in one autocommit statement and without waiting for the lock first. Undefined when
 * another writer has appended since: the caller then takes the locking path.
 */
export async function writeAfter(
  ctx: WriterCtx,
  drafts: Draft[],
  expected: LogHead,
): Promise<{ rows: Receipt[]; head: LogHead } | undefined> {
  const sealed = seal(drafts, expected, ctx.clock.now());
  return (await insertIfHeadIs(ctx.db, sealed.rows, expected, sealed.head)) ? sealed : undefined;
}

async function lockOrCreateHead(tx: WriterCtx["db"], ctx: WriterCtx): Promise<LogHead> {
  const head = await lockLogHead(tx, ctx.tenant.id);
  if (head) return head;
  await createLogHead(tx, ctx.tenant.id, emptyRootHex, ctx.clock.now());
  const created = await lockLogHead(tx, ctx.tenant.id);
  if (!created) throw new Error(`receipt log head for ${ctx.tenant.id} missing after creation`);
  return created;
}

/** Gives each draft the next seq, then its digest, leaf and chain; folds the leaves into the frontier. */
function seal(drafts: Draft[], head: LogHead, occurredAt: Date) {
  let size = head.size;
  let chain = head.chain;
  let frontier: Hash[] = head.frontier.map(fromHex);
  const rows: Receipt[] = drafts.map((draft) => {
    const seq = size++;
    const digest = receiptDigest({
      ...draft,
      seq,
      tenant: draft.tenantId,
      occurredAt: occurredAt.toISOString(),
    });
    const leaf = leafHash(fromHex(digest));
    frontier = appendToFrontier(frontier, seq, leaf);
    chain = nextChain(chain, digest);
    return { ...draft, seq, occurredAt, digest, leafHash: toHex(leaf), chain };
  });
  return {
    rows,
    head: {
      size,
      chain,
      frontier: frontier.map(toHex),
      rootHash: toHex(frontierRoot(frontier)),
      updatedAt: occurredAt,
    },
  };
}
