import { eq, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { cronRuns } from "../db/schema";

export async function recordCronStart(db: Database, task: string, at: Date): Promise<void> {
  await db
    .insert(cronRuns)
    .values({ task, runs: 1, lastStartedAt: at })
    .onConflictDoUpdate({
      target: cronRuns.task,
      set: { runs: sql`${cronRuns.runs} + 1`, lastStartedAt: at },
    });
}

export async function recordCronFinish(db: Database, task: string, at: Date, result: unknown): Promise<void> {
  await db.update(cronRuns).set({ lastFinishedAt: at, lastResult: result }).where(eq(cronRuns.task, task));
}

export async function listCronRuns(db: Database) {
  return db.select().from(cronRuns).orderBy(cronRuns.task);
}
