/**
 * The shape of every gated ops transition: Cedar first (outside the transaction, so a
 * deny's decision and receipt survive), then the change and its receipt + event in one
 * transaction: never a change without its receipt, or a receipt without its change.
 */
import type { TenantCtx } from "../../context/context";
import { enforce } from "../../policy/authorize";
import type { AuthorizeInput, PolicyAction } from "../../policy/model";
import { type OpsAction, recordOpsAction } from "./record";

export interface Applied<T> {
  result: T;
  /** The receipts to leave, in order; the last one's id is returned. */
  actions: OpsAction[];
}

export async function gated<T, A extends PolicyAction>(
  ctx: TenantCtx,
  gate: AuthorizeInput<A>,
  apply: (tx: TenantCtx, decisionId: string) => Promise<Applied<T>>,
): Promise<{ result: T; receiptId: string; decisionId: string }> {
  const decision = await enforce({ ctx, input: gate });
  return ctx.db.transaction(async (db) => {
    const tx = { ...ctx, db };
    const { result, actions } = await apply(tx, decision.id);
    let receiptId = "";
    for (const action of actions) {
      receiptId = await recordOpsAction(tx, { decisionId: decision.id, ...action });
    }
    return { result, receiptId, decisionId: decision.id };
  });
}
