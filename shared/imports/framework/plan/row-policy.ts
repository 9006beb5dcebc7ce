/**
 * The policy decision each plan row would get, without asking Cedar per row: the plan's own
 * decision (the dry-run gate, grantsAdmin false) covers ordinary rows, and each distinct
 * context a row needs (today: grantsAdmin true) is evaluated once and reused. A deny for a
 * row context leaves one `policy.denied` receipt and turns those rows into `policy_denied`
 * rejects carrying the decision id.
 */
import type { TenantCtx } from "../../../context/context";
import type { DecisionRecord } from "../../../db/schema";
import { authorize } from "../../../policy/authorize";
import { appendReceipt } from "../../../receipts/append";
import { importRequest } from "../import-request";

export interface RowPolicy {
  readonly base: DecisionRecord;
  /** The decision for a row that would (or would not) grant admin. */
  decide(grantsAdmin: boolean): Promise<DecisionRecord>;
}

export function rowPolicy(ctx: TenantCtx, planId: string, base: DecisionRecord): RowPolicy {
  let grant: Promise<DecisionRecord> | undefined;
  const evaluate = async () => {
    const decision = await authorize({
      ctx,
      input: importRequest(ctx, planId, { dryRun: true, grantsAdmin: true }),
    });
    if (decision.decision === "deny") {
      await appendReceipt({
        ctx,
        input: {
          kind: "policy.denied",
          subject: decision.resource,
          input: { decisionId: decision.id, action: decision.action, scope: "import rows granting admin" },
          decisionId: decision.id,
          links: [decision.id, planId],
          details: { remediation: decision.remediation, bundleVersion: decision.bundleVersion },
        },
      });
    }
    return decision;
  };
  return {
    base,
    decide(grantsAdmin) {
      if (!grantsAdmin) return Promise.resolve(base);
      grant ??= evaluate();
      return grant;
    },
  };
}
