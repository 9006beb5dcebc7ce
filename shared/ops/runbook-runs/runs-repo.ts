import { and, asc, desc, eq, inArray, lte } from "drizzle-orm";
import type { Database } from "../../db/client";
import {
  type RunbookRun,
  type RunbookRunStep,
  runbookRunSteps,
  runbookRuns,
  type StepStatus,
} from "../../db/schema";
import type { Position } from "../../pagination/cursor";
import { olderThan } from "../../pagination/keyset";

export async function insertRun(
  db: Database,
  run: typeof runbookRuns.$inferInsert,
  steps: (typeof runbookRunSteps.$inferInsert)[],
): Promise<RunbookRun> {
  const [created] = await db.insert(runbookRuns).values(run).returning();
  if (!created) throw new Error("run insert returned no row");
  if (steps.length > 0) await db.insert(runbookRunSteps).values(steps);
  return created;
}

export async function findRun(db: Database, tenantId: string, id: string, lock = false) {
  const query = db
    .select()
    .from(runbookRuns)
    .where(and(eq(runbookRuns.tenantId, tenantId), eq(runbookRuns.id, id)))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  return row;
}

export async function updateRun(
  db: Database,
  tenantId: string,
  id: string,
  patch: Partial<typeof runbookRuns.$inferInsert>,
): Promise<void> {
  await db
    .update(runbookRuns)
    .set(patch)
    .where(and(eq(runbookRuns.tenantId, tenantId), eq(runbookRuns.id, id)));
}

export async function listSteps(db: Database, tenantId: string, runId: string): Promise<RunbookRunStep[]> {
  return db
    .select()
    .from(runbookRunSteps)
    .where(and(eq(runbookRunSteps.tenantId, tenantId), eq(runbookRunSteps.runId, runId)))
    .orderBy(asc(runbookRunSteps.stepNo));
}

export async function updateStep(
  db: Database,
  tenantId: string,
  runId: string,
  stepNo: number,
  patch: Partial<typeof runbookRunSteps.$inferInsert>,
): Promise<void> {
  await db
    .update(runbookRunSteps)
    .set(patch)
    .where(
      and(
        eq(runbookRunSteps.tenantId, tenantId),
        eq(runbookRunSteps.runId, runId),
        eq(runbookRunSteps.stepNo, stepNo),
      ),
    );
}

export async function listRunRows(
  db: Database,
  tenantId: string,
  options: { limit: number; after?: Position },
) {
  const { after } = options;
  return db
    .select()
    .from(runbookRuns)
    .where(and(eq(runbookRuns.tenantId, tenantId), olderThan(runbookRuns.createdAt, runbookRuns.id, after)))
    .orderBy(desc(runbookRuns.createdAt), desc(runbookRuns.id))
    .limit(options.limit + 1);
}

/** The states a started step waits in: for its approval, an operator or its command. */
export const waitingStepStatuses = [
  "awaiting_approval",
  "awaiting_operator",
  "running",
] as const satisfies StepStatus[];

/** Steps of any tenant still waiting past their deadline, oldest deadline first. */
export async function overdueSteps(db: Database, now: Date, limit: number) {
  return db
    .select({
      tenantId: runbookRunSteps.tenantId,
      runId: runbookRunSteps.runId,
      stepNo: runbookRunSteps.stepNo,
    })
    .from(runbookRunSteps)
    .where(
      and(inArray(runbookRunSteps.status, [...waitingStepStatuses]), lte(runbookRunSteps.deadlineAt, now)),
    )
    .orderBy(asc(runbookRunSteps.deadlineAt))
    .limit(limit);
}
