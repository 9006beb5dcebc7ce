/**
 * Re-derives a tenant's whole log from its rows: each digest from the fields,
 * each leaf from the digest, the chain from the previous entry, seq continuity,
 * the Merkle root at every checkpoint, the head row, and the latest signature.
 * Names the first entry that does not hold up.
 */
import type { TenantCtx } from "../context/context";
import type { Checkpoint } from "../db/schema";
import { allCheckpointRows } from "./checkpoint-repo";
import { verifyCheckpointJws } from "./checkpoint-signature";
import { fromHex, type Hash, toHex } from "./hashing";
import { readLogHead } from "./log-repo";
import { leafHash } from "./merkle";
import { appendToFrontier, frontierRoot } from "./merkle-frontier";
import { genesisChain, nextChain, receiptDigest } from "./receipt-digest";
import { receiptsAfter } from "./receipt-repo";
import { receiptFields } from "./receipt-views";

export type LogProblem =
  | "missing_entry"
  | "unexpected_entry"
  | "digest_mismatch"
  | "leaf_mismatch"
  | "chain_mismatch"
  | "checkpoint_mismatch"
  | "checkpoint_signature"
  | "head_mismatch";

export interface LogVerification {
  ok: boolean;
  /** Entries the log head counts. */
  size: number;
  /** Entries read and found sound before the first problem (all of them when ok). */
  verified: number;
  checkpointsChecked: number;
  firstBadSeq?: number;
  problem?: LogProblem;
  reason?: string;
}

const pageSize = 2000;

export async function verifyLog({
  ctx,
}: {
  ctx: Pick<TenantCtx, "db" | "signer" | "tenant">;
}): Promise<LogVerification> {
  const head = await readLogHead(ctx.db, ctx.tenant.id);
  const checkpoints = await allCheckpointRows(ctx.db, ctx.tenant.id);
  const size = head?.size ?? 0;
  let verified = 0;
  let checkpointsChecked = 0;
  const bad = (problem: LogProblem, reason: string, firstBadSeq?: number): LogVerification => ({
    ok: false,
    size,
    verified,
    checkpointsChecked,
    ...(firstBadSeq !== undefined ? { firstBadSeq } : {}),
    problem,
    reason,
  });

  let chain = genesisChain;
  let frontier: Hash[] = [];
  let pending = checkpoints;
  for (let page = await receiptsAfter(ctx.db, ctx.tenant.id, -1, pageSize); page.length > 0; ) {
    for (const row of page) {
      const seq = verified;
      if (row.seq !== seq) {
        return bad(
          "missing_entry",
          `No receipt at seq ${seq}: the next stored one is seq ${row.seq} (deleted or renumbered).`,
          seq,
        );
      }
      const digest = receiptDigest(receiptFields(row));
      if (digest !== row.digest)
        return bad(
          "digest_mismatch",
          `Receipt ${row.id} was changed after it was appended: its fields no longer hash to its digest.`,
          seq,
        );
      const leaf = leafHash(fromHex(digest));
      if (toHex(leaf) !== row.leafHash)
        return bad(
          "leaf_mismatch",
          `Receipt ${row.id} has a leaf hash that is not the hash of its digest.`,
          seq,
        );
      chain = nextChain(chain, digest);
      if (chain !== row.chain) {
        return bad(
          "chain_mismatch",
          `Receipt ${row.id} does not follow from the entry before it (reordered, inserted or rewritten).`,
          seq,
        );
      }
      frontier = appendToFrontier(frontier, seq, leaf);
      verified++;
      const [reached, rest] = splitReached(pending, verified);
      pending = rest;
      for (const checkpoint of reached) {
        if (toHex(frontierRoot(frontier)) !== checkpoint.rootHash) {
          return bad(
            "checkpoint_mismatch",
            `Entries before seq ${verified} were rewritten: the tree no longer matches checkpoint ${verified}.`,
          );
        }
        checkpointsChecked++;
      }
    }
    page = await receiptsAfter(ctx.db, ctx.tenant.id, verified - 1, pageSize);
  }
  if (verified < size)
    return bad(
      "missing_entry",
      `The log counts ${size} receipts but seq ${verified} onwards are missing.`,
      verified,
    );
  if (verified > size)
    return bad("unexpected_entry", `Seq ${size} onwards exist beyond the log's size ${size}.`, size);
  const [orphan] = pending;
  if (orphan)
    return bad("checkpoint_mismatch", `Checkpoint ${orphan.treeSize} signs more entries than the log has.`);
  if (head && (head.chain !== chain || head.rootHash !== toHex(frontierRoot(frontier)))) {
    return bad("head_mismatch", "The log head's chain or root does not match its entries.");
  }
  const latest = checkpoints.at(-1);
  if (latest) {
    const signature = await verifyCheckpointJws(latest.jws, ctx.signer.jwks().keys);
    if (!signature.ok)
      return bad("checkpoint_signature", `Checkpoint ${latest.treeSize}: ${signature.reason}.`);
    const p = signature.payload;
    if (p.tenant !== ctx.tenant.id || p.treeSize !== latest.treeSize || p.rootHash !== latest.rootHash) {
      return bad("checkpoint_signature", `Checkpoint ${latest.treeSize} differs from what its JWS signs.`);
    }
  }
  return { ok: true, size, verified, checkpointsChecked };
}

function splitReached(pending: Checkpoint[], size: number): [Checkpoint[], Checkpoint[]] {
  const i = pending.findIndex((c) => c.treeSize > size);
  return i < 0 ? [pending, []] : [pending.slice(0, i), pending.slice(i)];
}
