import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { type SelfTest, selfTests } from "../db/schema";

export async function insertSelfTest(db: Database, row: typeof selfTests.$inferInsert): Promise<SelfTest> {
  const [created] = await db.insert(selfTests).values(row).returning();
  if (!created) throw new Error("self-test insert returned no row");
  return created;
}

export async function findSelfTest(
  db: Database,
  tenantId: string,
  id: string,
): Promise<SelfTest | undefined> {
  const [row] = await db
    .select()
    .from(selfTests)
    .where(and(eq(selfTests.tenantId, tenantId), eq(selfTests.id, id)))
    .limit(1);
  return row;
}

/** Marks a queued self-test passed; a second delivery of the same message changes nothing. */
export async function markSelfTestPassed(
  db: Database,
  tenantId: string,
  id: string,
  patch: { completedAt: Date; consumerRuntime: string },
): Promise<boolean> {
  const rows = await db
    .update(selfTests)
    .set({ status: "passed", ...patch })
    .where(and(eq(selfTests.tenantId, tenantId), eq(selfTests.id, id), eq(selfTests.status, "queued")))
    .returning({ id: selfTests.id });
  return rows.length > 0;
}
