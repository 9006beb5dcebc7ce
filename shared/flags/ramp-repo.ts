/** Ramp plans and the telemetry their guardrails read. */
import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { decisions, type RampPlan, rampPlans, requestRollups, tenants } from "../db/schema";

export async function insertRampPlan(db: Database, row: typeof rampPlans.$inferInsert): Promise<RampPlan> {
  const [created] = await db.insert(rampPlans).values(row).returning();
  if (!created) throw new Error("ramp plan insert returned no row");
  return created;
}

export async function findActiveRampPlan(db: Database, flagKey: string): Promise<RampPlan | undefined> {
  const [row] = await db
    .select()
    .from(rampPlans)
    .where(and(eq(rampPlans.flagKey, flagKey), eq(rampPlans.status, "active")))
    .limit(1);
  return row;
}

export async function findLatestRampPlan(db: Database, flagKey: string): Promise<RampPlan | undefined> {
  const [row] = await db
    .select()
    .from(rampPlans)
    .where(eq(rampPlans.flagKey, flagKey))
    .orderBy(sql`${rampPlans.createdAt} desc`)
    .limit(1);
  return row;
}

export async function listActiveRampPlans(db: Database): Promise<RampPlan[]> {
  return db.select().from(rampPlans).where(eq(rampPlans.status, "active"));
}

export async function updateRampPlan(db: Database, id: string, set: Partial<typeof rampPlans.$inferInsert>) {
  await db.update(rampPlans).set(set).where(eq(rampPlans.id, id));
}

export async function listTenantIds(db: Database): Promise<string[]> {
  return (await db.select({ id: tenants.id }).from(tenants)).map((t) => t.id);
}

export interface Rates {
  requests: number;
  errors5xx: number;
  decisions: number;
  denies: number;
}

/** Requests and 5xx (request rollups), decisions and denies, of these tenants in [from, to). */
export async function ratesOf(db: Database, tenantIds: string[], from: Date, to: Date): Promise<Rates> {
  if (tenantIds.length === 0) return { requests: 0, errors5xx: 0, decisions: 0, denies: 0 };
  const [req] = await db
    .select({
      requests: sql<number>`coalesce(sum(${requestRollups.count}), 0)::int`,
      errors5xx: sql<number>`coalesce(sum(${requestRollups.status5xx}), 0)::int`,
    })
    .from(requestRollups)
    .where(
      and(
        inArray(requestRollups.tenantId, tenantIds),
        gte(requestRollups.minute, from),
        lt(requestRollups.minute, to),
      ),
    );
  const [dec] = await db
    .select({
      decisions: sql<number>`count(*)::int`,
      denies: sql<number>`count(*) filter (where ${decisions.decision} = 'deny')::int`,
    })
    .from(decisions)
    .where(
      and(
        inArray(decisions.tenantId, tenantIds),
        gte(decisions.decidedAt, from),
        lt(decisions.decidedAt, to),
      ),
    );
  return {
    requests: Number(req?.requests ?? 0),
    errors5xx: Number(req?.errors5xx ?? 0),
    decisions: Number(dec?.decisions ?? 0),
    denies: Number(dec?.denies ?? 0),
  };
}
