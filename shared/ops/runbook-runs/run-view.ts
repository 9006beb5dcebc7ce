import type { RunbookRun, RunbookRunStep } from "../../db/schema";

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function runView(run: RunbookRun, steps?: RunbookRunStep[]) {
  return {
    id: run.id,
    runbookId: run.runbookId,
    runbookKey: run.runbookKey,
    runbookVersion: run.runbookVersion,
    incidentId: run.incidentId,
    inputs: run.inputs,
    status: run.status,
    startedBy: `${run.startedByType}:${run.startedById}`,
    createdAt: run.createdAt.toISOString(),
    finishedAt: iso(run.finishedAt),
    ...(steps
      ? {
          steps: steps.map((s) => ({
            id: s.stepKey,
            title: s.title,
            kind: s.kind,
            requiresApproval: s.requiresApproval,
            timeoutSeconds: s.timeoutSeconds,
            deadlineAt: iso(s.deadlineAt),
            status: s.status,
            approvalId: s.approvalId,
            commandId: s.commandId,
            completedBy: s.completedBy,
            note: s.note,
            startedAt: iso(s.startedAt),
            finishedAt: iso(s.finishedAt),
          })),
        }
      : {}),
  };
}

export type RunView = ReturnType<typeof runView>;
