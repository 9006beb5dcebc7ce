import type { Approval } from "../../db/schema";

export function approvalView(a: Approval) {
  return {
    id: a.id,
    subject: a.subjectType === "command" ? `command:${a.subjectId}` : `runbook_step:${a.subjectId}`,
    summary: a.summary,
    status: a.status,
    requestedBy: `${a.requestedByType}:${a.requestedById}`,
    decidedBy: a.decidedBy,
    reason: a.reason,
    decisionId: a.decisionId,
    requestedAt: a.createdAt.toISOString(),
    expiresAt: a.expiresAt.toISOString(),
    decidedAt: a.decidedAt?.toISOString() ?? null,
    cycleMs: a.cycleMs,
  };
}

export type ApprovalView = ReturnType<typeof approvalView>;
