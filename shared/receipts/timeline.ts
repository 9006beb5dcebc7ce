/** The tenant's receipts as a filterable timeline, newest first. */
import type { TenantCtx } from "../context/context";
import { listReceipts, type ReceiptFilter } from "./receipt-repo";
import { receiptView } from "./receipt-views";
import { decodeSeqCursor, seqPage } from "./seq-cursor";

export async function listTimeline({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: ReceiptFilter & { limit: number; cursor?: string };
}) {
  const { limit, cursor, ...filter } = input;
  const rows = await listReceipts(ctx.db, ctx.tenant.id, filter, { limit, before: decodeSeqCursor(cursor) });
  const page = seqPage(rows, limit, (row) => ({ at: row.occurredAt, seq: row.seq }));
  return { items: page.items.map(receiptView), nextCursor: page.nextCursor };
}
