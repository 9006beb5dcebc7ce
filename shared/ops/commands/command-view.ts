import type { Command, CommandAttempt } from "../../db/schema";

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function commandView(c: Command, attempts?: CommandAttempt[]) {
  return {
    id: c.id,
    name: c.name,
    target: c.target,
    params: c.params,
    status: c.status,
    requiresApproval: c.requiresApproval,
    approvalId: c.approvalId,
    incidentId: c.incidentId,
    runId: c.runId,
    dispatchMode: c.dispatchMode,
    requestedBy: `${c.requestedByType}:${c.requestedById}`,
    attemptCount: c.attemptCount,
    outcome: c.outcome,
    error: c.error,
    createdAt: c.createdAt.toISOString(),
    dispatchedAt: iso(c.dispatchedAt),
    finishedAt: iso(c.finishedAt),
    ...(attempts
      ? {
          attempts: attempts.map((a) => ({
            attempt: a.attemptNo,
            outcome: a.outcome,
            statusCode: a.statusCode,
            error: a.error,
            durationMs: a.durationMs,
            startedAt: a.startedAt.toISOString(),
            finishedAt: iso(a.finishedAt),
          })),
        }
      : {}),
  };
}

export type CommandView = ReturnType<typeof commandView>;
