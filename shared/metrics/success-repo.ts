/**
 * Aggregates over the receipt log for the success metrics: one grouped statement per figure,
 * over the tenant's receipts in a time range (the index on tenant, kind, time), never rows
 * brought back one by one. Weeks are ISO weeks (Monday 00:00 UTC).
 */
import { and, count, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { feedback, receipts } from "../db/schema";

const week = sql<string>`to_char(date_trunc('week', ${receipts.occurredAt} at time zone 'UTC'), 'YYYY-MM-DD')`;

const inRange = (tenantId: string, from: Date, to: Date) =>
  and(eq(receipts.tenantId, tenantId), gte(receipts.occurredAt, from), lt(receipts.occurredAt, to));

/** Receipts of each kind per ISO week (the week's Monday, `YYYY-MM-DD`). */
export async function weeklyKindCounts(
  db: Database,
  tenantId: string,
  kinds: string[],
  from: Date,
  to: Date,
) {
  return db
    .select({ week, kind: receipts.kind, n: count() })
    .from(receipts)
    .where(and(inRange(tenantId, from, to), inArray(receipts.kind, kinds)))
    .groupBy(week, receipts.kind);
}

/** Distinct people and keys (never `system:` actors) that left a receipt, per ISO week. */
export async function weeklyActiveActors(db: Database, tenantId: string, from: Date, to: Date) {
  return db
    .select({ week, n: sql<number>`count(distinct ${receipts.actor})::int` })
    .from(receipts)
    .where(and(inRange(tenantId, from, to), sql`${receipts.actor} not like 'system:%'`))
    .groupBy(week);
}

/** Nearest-rank median and p90 of approval cycle times (ms) of approvals decided in the range. */
export async function approvalCycle(db: Database, tenantId: string, from: Date, to: Date) {
  const cycle = sql`(${receipts.details} ->> 'cycleMs')::float8`;
  const [row] = await db
    .select({
      n: count(),
      p50: sql<number | null>`percentile_disc(0.5) within group (order by ${cycle})`,
      p90: sql<number | null>`percentile_disc(0.9) within group (order by ${cycle})`,
    })
    .from(receipts)
    .where(
      and(inRange(tenantId, from, to), inArray(receipts.kind, ["approval.approved", "approval.denied"])),
    );
  return { n: row?.n ?? 0, p50: row?.p50 ?? null, p90: row?.p90 ?? null };
}

/** Incidents opened per ISO week, and how many of them had a runbook run launched for them (ever). */
export async function weeklyIncidentsWithRuns(db: Database, tenantId: string, from: Date, to: Date) {
  return db
    .select({
      week,
      n: count(),
      withRun: sql<number>`count(*) filter (where exists (
        select 1 from receipts as r
        where r.tenant_id = receipts.tenant_id and r.kind = 'runbook_run.launched'
          and r.details ->> 'incidentId' = substr(receipts.subject, 10)))::int`,
    })
    .from(receipts)
    .where(and(inRange(tenantId, from, to), eq(receipts.kind, "incident.opened")))
    .groupBy(week);
}

/** Dry runs in the range, and those with no rejected row. */
export async function dryRunPasses(db: Database, tenantId: string, from: Date, to: Date) {
  const [row] = await db
    .select({
      n: count(),
      passed: sql<number>`count(*) filter (where coalesce((${receipts.details} -> 'counts' ->> 'reject')::int, 0) = 0)::int`,
    })
    .from(receipts)
    .where(and(inRange(tenantId, from, to), eq(receipts.kind, "import.planned")));
  return { n: row?.n ?? 0, passed: row?.passed ?? 0 };
}

export async function firstReceiptAt(db: Database, tenantId: string, kind: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<Date | null>`min(${receipts.occurredAt})` })
    .from(receipts)
    .where(and(eq(receipts.tenantId, tenantId), eq(receipts.kind, kind)));
  return row?.at ? new Date(row.at) : null;
}

export async function frictionPerScreen(db: Database, tenantId: string, from: Date, to: Date) {
  return db
    .select({ screen: feedback.screen, n: count() })
    .from(feedback)
    .where(
      and(
        eq(feedback.tenantId, tenantId),
        eq(feedback.kind, "friction"),
        gte(feedback.createdAt, from),
        lt(feedback.createdAt, to),
      ),
    )
    .groupBy(feedback.screen)
    .orderBy(sql`count(*) desc`, feedback.screen);
}
