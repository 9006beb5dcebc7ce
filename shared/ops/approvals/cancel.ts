import type { TenantCtx } from "../../context/context";
import { settleApproval } from "./approvals-repo";

/**
 * The subject went away (a cancelled command or run): its pending approval is closed, not
 * decided. Returns the approval when it was still pending.
 */
export async function cancelApprovalInTx(tx: Pick<TenantCtx, "db" | "clock" | "tenant">, id: string) {
  const now = tx.clock.now();
  return settleApproval(tx.db, tx.tenant.id, id, { status: "cancelled", decidedAt: now });
}
