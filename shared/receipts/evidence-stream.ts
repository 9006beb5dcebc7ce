/**
 * The streamed evidence export: the same gate, span, export receipt and checkpoint
 * as the JSON bundle, then the range's receipts read page by page and written as
 * JSON Lines, so memory stays bounded however many receipts the range holds. The
 * range is proved as a whole (one range proof, O(log n) hashes), not per receipt.
 */
import type { TenantCtx } from "../context/context";
import { beginExport, type EvidenceInput } from "./evidence";
import { type EvidenceStreamHeader, evidenceStreamFormat } from "./evidence-bundle";
import { toHex } from "./hashing";
import { inclusionPathOf } from "./merkle";
import { rangeProofOf } from "./merkle-range";
import { receiptsAfter } from "./receipt-repo";
import { receiptView } from "./receipt-views";
import { proveFromStore } from "./tree/stored-tree";

/** A range past this is a job for several exports. */
export const maxStreamedReceipts = 10_000_000;
const pageSize = 2000;

export interface EvidenceStream {
  header: EvidenceStreamHeader;
  /** The bundle's lines, each ending in a newline, read from the database as they are pulled. */
  lines: AsyncGenerator<string>;
}

export async function exportEvidenceStream({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: EvidenceInput;
}): Promise<EvidenceStream> {
  const { exported, recorded, checkpoint } = await beginExport(ctx, input, maxStreamedReceipts);
  const size = checkpoint.treeSize;
  const { firstSeq: first, lastSeq: last } = recorded;
  const [rangeProof, exportPath] = await proveFromStore(ctx.db, ctx.tenant.id, (node) => [
    first === null || last === null ? [] : rangeProofOf(node, first, last + 1, size),
    inclusionPathOf(node, exported.seq, size),
  ]);
  const header: EvidenceStreamHeader = {
    type: "header",
    format: evidenceStreamFormat,
    tenant: { id: ctx.tenant.id, slug: ctx.tenant.slug, name: ctx.tenant.name },
    range: { from: recorded.from, to: recorded.to, firstSeq: first, lastSeq: last },
    exportedAt: exported.occurredAt.toISOString(),
    checkpoint,
    keys: { keys: ctx.signer.jwks().keys },
    rangeProof: rangeProof.map(toHex),
    exportReceipt: {
      ...receiptView(exported),
      inclusion: { leafIndex: exported.seq, treeSize: size, path: exportPath.map(toHex) },
    },
  };
  async function* lines(): AsyncGenerator<string> {
    yield `${JSON.stringify(header)}\n`;
    let sent = 0;
    if (first !== null && last !== null) {
      for (let after = first - 1; after < last; ) {
        const page = await receiptsAfter(ctx.db, ctx.tenant.id, after, Math.min(pageSize, last - after));
        const lastRow = page.at(-1);
        if (!lastRow) break;
        let chunk = "";
        for (const row of page) chunk += `${JSON.stringify({ type: "receipt", ...receiptView(row) })}\n`;
        yield chunk;
        sent += page.length;
        after = lastRow.seq;
      }
    }
    yield `${JSON.stringify({ type: "end", receipts: sent })}\n`;
  }
  return { header, lines: lines() };
}
