/** Client telemetry events; every query is filtered by the tenant, except retention's prune. */
import { and, desc, eq, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { type TelemetryEvent, telemetryEvents } from "../db/schema";

const t = telemetryEvents;

/** Inserts the events that are new; the ids of those stored by this call. */
export async function insertNewEvents(db: Database, rows: (typeof t.$inferInsert)[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const stored = await db.insert(t).values(rows).onConflictDoNothing().returning({ id: t.id });
  return new Set(stored.map((r) => r.id));
}

export interface EventFilter {
  source?: TelemetryEvent["source"];
  name?: string;
  screen?: string;
  actor?: string;
  ids?: string[];
  from?: Date;
  to?: Date;
}

function where(tenantId: string, f: EventFilter): SQL | undefined {
  return and(
    eq(t.tenantId, tenantId),
    f.source ? eq(t.source, f.source) : undefined,
    f.name ? eq(t.kind, f.name) : undefined,
    f.screen ? eq(t.subject, f.screen) : undefined,
    f.actor ? eq(t.actor, f.actor) : undefined,
    f.ids ? inArray(t.id, f.ids) : undefined,
    f.from ? gte(t.at, f.from) : undefined,
    f.to ? lt(t.at, f.to) : undefined,
  );
}

/** Newest first by (at, id), keyset after `before`; `limit + 1` rows. */
export async function listEvents(
  db: Database,
  tenantId: string,
  filter: EventFilter,
  page: { limit: number; before?: { at: Date; id: string } },
): Promise<TelemetryEvent[]> {
  const b = page.before;
  return db
    .select()
    .from(t)
    .where(
      and(where(tenantId, filter), b ? or(lt(t.at, b.at), and(eq(t.at, b.at), lt(t.id, b.id))) : undefined),
    )
    .orderBy(desc(t.at), desc(t.id))
    .limit(page.limit + 1);
}

/** Deletes client events received before `before`, at most `limit` a call. */
export async function deleteClientEventsBefore(db: Database, before: Date, limit: number): Promise<number> {
  const doomed = db
    .select({ id: t.id })
    .from(t)
    .where(and(eq(t.source, "client"), lt(t.receivedAt, before)))
    .limit(limit);
  const deleted = await db.delete(t).where(sql`${t.id} in (${doomed})`).returning({ id: t.id });
  return deleted.length;
}
