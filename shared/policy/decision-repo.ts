import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { type DecisionRecord, decisions } from "../db/schema";

export async function insertDecision(
  db: Database,
  row: typeof decisions.$inferInsert,
): Promise<DecisionRecord> {
  const [inserted] = await db.insert(decisions).values(row).returning();
  if (!inserted) throw new Error("decision insert returned no row");
  return inserted;
}

export async function findDecision(
  db: Database,
  tenantId: string,
  id: string,
): Promise<DecisionRecord | undefined> {
  const [row] = await db
    .select()
    .from(decisions)
    .where(and(eq(decisions.tenantId, tenantId), eq(decisions.id, id)))
    .limit(1);
  return row;
}
