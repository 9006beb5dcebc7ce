import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { type Executor, executors } from "../../db/schema";

export async function findExecutor(db: Database, tenantId: string): Promise<Executor | undefined> {
  const [row] = await db.select().from(executors).where(eq(executors.tenantId, tenantId)).limit(1);
  return row;
}

export async function upsertExecutor(db: Database, row: typeof executors.$inferInsert): Promise<Executor> {
  const { id: _id, tenantId: _t, createdAt: _c, ...patch } = row;
  const [saved] = await db
    .insert(executors)
    .values(row)
    .onConflictDoUpdate({ target: executors.tenantId, set: patch })
    .returning();
  if (!saved) throw new Error("executor upsert returned no row");
  return saved;
}

export async function deleteExecutor(db: Database, tenantId: string): Promise<boolean> {
  const removed = await db
    .delete(executors)
    .where(and(eq(executors.tenantId, tenantId)))
    .returning({ id: executors.id });
  return removed.length > 0;
}
