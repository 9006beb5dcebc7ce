/**
 * Signed checkpoints (tree heads): issued on demand, on evidence export and by
 * the `checkpoints` cron task. Idempotent per tree size. Issuing one leaves no
 * receipt: that would grow the log it just signed.
 */
import type { Ctx, TenantCtx, TenantRef } from "../context/context";
import type { Checkpoint } from "../db/schema";
import { AppError } from "../errors/app-error";
import {
  findCheckpoint,
  insertCheckpoint,
  latestCheckpointRow,
  listCheckpointRows,
  tenantsWithUncheckpointedReceipts,
} from "./checkpoint-repo";
import { toHex } from "./hashing";
import { readLogHead } from "./log-repo";
import { consistencyPathOf } from "./merkle";
import { type CheckpointPayload, type CheckpointView, checkpointTyp, checkpointView } from "./receipt-views";
import { decodeSeqCursor, seqPage } from "./seq-cursor";
import { proveFromStore } from "./tree/stored-tree";

type CheckpointCtx = Pick<TenantCtx, "db" | "signer" | "clock"> & { tenant: Pick<TenantRef, "id"> };

/** Signs the log's current head. An empty log has nothing to sign: 409. */
export async function issueCheckpoint({ ctx }: { ctx: CheckpointCtx }) {
  const head = await readLogHead(ctx.db, ctx.tenant.id);
  if (!head || head.size === 0) {
    throw new AppError("conflict", "The receipt log is empty; there is nothing to checkpoint yet.");
  }
  const existing = await findCheckpoint(ctx.db, ctx.tenant.id, head.size);
  if (existing) return { checkpoint: checkpointView(existing), created: false };
  const issuedAt = ctx.clock.now();
  const payload: CheckpointPayload = {
    tenant: ctx.tenant.id,
    treeSize: head.size,
    rootHash: head.rootHash,
    chainHead: head.chain,
    issuedAt: issuedAt.toISOString(),
  };
  const row: Checkpoint = {
    tenantId: ctx.tenant.id,
    treeSize: head.size,
    rootHash: head.rootHash,
    issuedAt,
    kid: ctx.signer.kid,
    jws: await ctx.signer.signJson(payload, { typ: checkpointTyp }),
  };
  const stored = await insertCheckpoint(ctx.db, row);
  return { checkpoint: checkpointView(stored.row), created: stored.created };
}

export async function latestCheckpoint({ ctx }: { ctx: TenantCtx }): Promise<CheckpointView> {
  const row = await latestCheckpointRow(ctx.db, ctx.tenant.id);
  if (!row) throw new AppError("not_found", "No checkpoint has been issued for this tenant yet.");
  return checkpointView(row);
}

export async function listCheckpoints({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { limit: number; cursor?: string };
}) {
  const rows = await listCheckpointRows(ctx.db, ctx.tenant.id, {
    limit: input.limit,
    belowSize: decodeSeqCursor(input.cursor)?.seq,
  });
  // Tree sizes are unique per tenant and ordered like issue times: the size is the position.
  const page = seqPage(rows, input.limit, (row) => ({ at: row.issuedAt, seq: row.treeSize }));
  return { items: page.items.map(checkpointView), nextCursor: page.nextCursor };
}

/** RFC 6962 consistency proof that the checkpoint at `from` is a prefix of the one at `to`. */
export async function checkpointConsistency({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { from: number; to: number };
}) {
  if (input.from > input.to) {
    throw new AppError("validation_failed", "`from` must not be larger than `to`.", {
      errors: [{ pointer: "/from", in: "query", code: "too_big", message: "Must be at most `to`." }],
    });
  }
  const [from, to] = await Promise.all([
    findCheckpoint(ctx.db, ctx.tenant.id, input.from),
    findCheckpoint(ctx.db, ctx.tenant.id, input.to),
  ]);
  if (!from || !to) {
    const missing = from ? input.to : input.from;
    throw new AppError("not_found", `No checkpoint of tree size ${missing} in this tenant.`);
  }
  const proof = await proveFromStore(ctx.db, ctx.tenant.id, (node) =>
    consistencyPathOf(node, from.treeSize, to.treeSize),
  );
  return { from: checkpointView(from), to: checkpointView(to), proof: proof.map(toHex) };
}

/** The `checkpoints` cron task: one checkpoint per tenant whose log grew since its last one. */
export async function checkpointGrownLogs({ ctx }: { ctx: Ctx }) {
  const grown = await tenantsWithUncheckpointedReceipts(ctx.db);
  let issued = 0;
  const failed: string[] = [];
  for (const tenant of grown) {
    try {
      // A system context: the cron acts for no credential, only for the tenant it signs.
      const { created } = await issueCheckpoint({ ctx: { ...ctx, tenant } });
      if (created) issued++;
    } catch (error) {
      failed.push(tenant.id);
      ctx.logger.error("checkpoint failed", { tenantId: tenant.id, error: String(error) });
    }
  }
  return { tenants: grown.length, issued, failed };
}
