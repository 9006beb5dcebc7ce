import type { TenantCtx } from "../context/context";
import type { DecisionRecord } from "../db/schema";
import { AppError } from "../errors/app-error";
import { findDecision } from "./decision-repo";

/**
 * A stored decision of this tenant. Not Cedar-gated: whoever was denied must be able to read
 * why, and a decision holds no data beyond the request it answered.
 */
export async function getDecision({ ctx, id }: { ctx: TenantCtx; id: string }): Promise<DecisionRecord> {
  const found = await findDecision(ctx.db, ctx.tenant.id, id);
  if (!found) throw new AppError("not_found", `No decision ${id} in this tenant.`);
  return found;
}
