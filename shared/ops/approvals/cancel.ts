import type { TenantCtx } from "../../context/context";
import { settleApproval } from "./approvals-repo";

/** The subject went away (a cancelled command): its pending approval is closed, not decided. */
export async function cancelApprovalInTx(tx: Pick<TenantCtx, "db" | "clock" | "tenant">, id: string) {
  const now = tx.clock.now();
  await settleApproval(tx.db, tx.tenant.id, id, { status: "cancelled", decidedAt: now });
}
