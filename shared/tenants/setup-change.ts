/**
 * Setup changes (operators, domains, the IdP) are one shape: Cedar `configure`
 * on the tenant first, then the change and its receipt in one transaction, so
 * there is never a change without its receipt or a receipt without its change.
 */
import type { TenantCtx } from "../context/context";
import type { Database } from "../db/client";
import { enforce } from "../policy/authorize";
import { appendReceipt } from "../receipts/append";

export interface SetupChange<T> {
  /** Receipt kind, e.g. `operator.invited`. */
  kind: string;
  /** What changed, e.g. `operator:op_…`; may depend on the result. */
  subject: (result: T) => string;
  /** The facts the receipt keeps (digested), e.g. the new values. */
  facts: (result: T) => unknown;
  apply: (db: Database) => Promise<T>;
}

export async function applySetupChange<T>(
  ctx: TenantCtx,
  change: SetupChange<T>,
): Promise<{ result: T; receiptId: string; decisionId: string }> {
  const decision = await enforce({
    ctx,
    input: { action: "configure", resource: { type: "Tenant", id: ctx.tenant.id, tenantId: ctx.tenant.id } },
  });
  return ctx.db.transaction(async (db) => {
    const result = await change.apply(db);
    const { receipt } = await appendReceipt({
      ctx: { ...ctx, db },
      input: {
        kind: change.kind,
        subject: change.subject(result),
        // The decision makes each change its own receipt: configure → remove → configure are three.
        input: { decisionId: decision.id, facts: change.facts(result) },
        decisionId: decision.id,
        links: [decision.id],
      },
    });
    return { result, receiptId: receipt.id, decisionId: decision.id };
  });
}
