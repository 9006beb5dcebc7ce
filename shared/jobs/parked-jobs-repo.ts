import { asc, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { type ParkedJob, parkedJobs, tenants } from "../db/schema";

export async function parkJob(db: Database, job: typeof parkedJobs.$inferInsert): Promise<void> {
  await db.insert(parkedJobs).values(job).onConflictDoNothing();
}

/** Parked jobs whose tenant is active again, oldest first. */
export async function parkedJobsOfActiveTenants(db: Database, limit: number): Promise<ParkedJob[]> {
  const rows = await db
    .select({ job: parkedJobs })
    .from(parkedJobs)
    .innerJoin(tenants, eq(tenants.id, parkedJobs.tenantId))
    .where(eq(tenants.status, "active"))
    .orderBy(asc(parkedJobs.parkedAt), asc(parkedJobs.id))
    .limit(limit);
  return rows.map((r) => r.job);
}

export async function deleteParkedJob(db: Database, id: string): Promise<void> {
  await db.delete(parkedJobs).where(eq(parkedJobs.id, id));
}

export async function parkedJobsOf(db: Database, tenantId: string): Promise<ParkedJob[]> {
  return db.select().from(parkedJobs).where(eq(parkedJobs.tenantId, tenantId));
}
