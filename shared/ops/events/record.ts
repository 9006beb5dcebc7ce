/**
 * Every ops action leaves a receipt AND a telemetry event whose id is the receipt id: one
 * canonical id for the checklist, the dashboard and feedback to link to. Call inside the
 * action's transaction (`ctx.db` = tx), last.
 */
import type { TenantCtx } from "../../context/context";
import { appendReceipt } from "../../receipts/append";
import { actorRef } from "../../receipts/receipt-id";
import { insertTelemetryEvent } from "./events-repo";

export interface OpsAction {
  /** `command.requested`, `approval.approved`, `incident.resolved`, … */
  kind: string;
  /** `command:cmd_…`, `incident:inc_…`. */
  subject: string;
  /** What makes this action itself (digested): a retry with the same facts is the same receipt. */
  facts: unknown;
  decisionId?: string;
  links?: string[];
  details?: Record<string, unknown>;
}

export type OpsCtx = Pick<TenantCtx, "db" | "clock" | "tenant" | "actor">;

export async function recordOpsAction(ctx: OpsCtx, action: OpsAction): Promise<string> {
  const links = [...(action.decisionId ? [action.decisionId] : []), ...(action.links ?? [])];
  const { receipt } = await appendReceipt({
    ctx,
    input: {
      kind: action.kind,
      subject: action.subject,
      input: { decisionId: action.decisionId ?? null, facts: action.facts },
      decisionId: action.decisionId,
      links,
      details: action.details,
    },
  });
  await insertTelemetryEvent(ctx.db, {
    id: receipt.id,
    tenantId: ctx.tenant.id,
    kind: action.kind,
    actor: actorRef(ctx.actor),
    subject: action.subject,
    props: action.details ?? {},
    at: ctx.clock.now(),
  });
  return receipt.id;
}
