/** Feedback rows and the log reads that give them context; every query is filtered by the tenant. */
import { and, asc, count, desc, eq, gt, gte, inArray, lt, lte, type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { decisions, type Feedback, feedback, receipts } from "../db/schema";
import { olderThan } from "../pagination/keyset";

export async function insertFeedback(db: Database, row: typeof feedback.$inferInsert): Promise<Feedback> {
  const [inserted] = await db.insert(feedback).values(row).returning();
  if (!inserted) throw new Error("feedback insert returned no row");
  return inserted;
}

export async function findFeedback(
  db: Database,
  tenantId: string,
  id: string,
): Promise<Feedback | undefined> {
  const [row] = await db
    .select()
    .from(feedback)
    .where(and(eq(feedback.tenantId, tenantId), eq(feedback.id, id)))
    .limit(1);
  return row;
}

export interface FeedbackFilter {
  kind?: Feedback["kind"];
  screen?: string;
  actionId?: string;
  actionKind?: string;
  decisionId?: string;
  actor?: string;
  from?: Date;
  to?: Date;
}

function filterWhere(tenantId: string, f: FeedbackFilter): SQL | undefined {
  return and(
    eq(feedback.tenantId, tenantId),
    f.kind !== undefined ? eq(feedback.kind, f.kind) : undefined,
    f.screen !== undefined ? eq(feedback.screen, f.screen) : undefined,
    f.actionId !== undefined ? eq(feedback.actionId, f.actionId) : undefined,
    f.actionKind !== undefined ? eq(feedback.actionKind, f.actionKind) : undefined,
    f.decisionId !== undefined ? eq(feedback.decisionId, f.decisionId) : undefined,
    f.actor !== undefined ? eq(feedback.actor, f.actor) : undefined,
    f.from ? gte(feedback.createdAt, f.from) : undefined,
    f.to ? lt(feedback.createdAt, f.to) : undefined,
  );
}

/** Newest first by (created_at, id), keyset after `before`; `limit + 1` rows. */
export async function listFeedback(
  db: Database,
  tenantId: string,
  filter: FeedbackFilter,
  page: { limit: number; before?: { at: Date; id: string } },
): Promise<Feedback[]> {
  const b = page.before;
  return db
    .select()
    .from(feedback)
    .where(and(filterWhere(tenantId, filter), olderThan(feedback.createdAt, feedback.id, b)))
    .orderBy(desc(feedback.createdAt), desc(feedback.id))
    .limit(page.limit + 1);
}

/** Friction reports counted by one column, most first. */
export async function countFrictionBy(
  db: Database,
  tenantId: string,
  column: "screen" | "actionKind" | "decisionId",
  filter: FeedbackFilter,
) {
  const key = feedback[column];
  return db
    .select({ key, n: count() })
    .from(feedback)
    .where(and(filterWhere(tenantId, { ...filter, kind: "friction" }), sql`${key} is not null`))
    .groupBy(key)
    .orderBy(desc(count()), asc(key))
    .limit(100);
}

/**
 * One actor's receipts around a moment, oldest first: up to `each` at or before it (the
 * anchor receipt included, by its seq) and up to `each` after it, within `windowMs` either side.
 */
export async function actorReceiptsAround(
  db: Database,
  tenantId: string,
  actor: string,
  anchor: { at: Date; seq?: number },
  windowMs: number,
  each: number,
) {
  const from = new Date(anchor.at.getTime() - windowMs);
  const to = new Date(anchor.at.getTime() + windowMs);
  const mine = and(eq(receipts.tenantId, tenantId), eq(receipts.actor, actor));
  const atOrBefore =
    anchor.seq !== undefined ? lte(receipts.seq, anchor.seq) : lte(receipts.occurredAt, anchor.at);
  const after = anchor.seq !== undefined ? gt(receipts.seq, anchor.seq) : gt(receipts.occurredAt, anchor.at);
  const before = await db
    .select()
    .from(receipts)
    .where(and(mine, atOrBefore, gte(receipts.occurredAt, from)))
    .orderBy(desc(receipts.occurredAt), desc(receipts.seq))
    .limit(each);
  const later = await db
    .select()
    .from(receipts)
    .where(and(mine, after, lte(receipts.occurredAt, to)))
    .orderBy(asc(receipts.occurredAt), asc(receipts.seq))
    .limit(each);
  return { from, to, items: [...before.reverse(), ...later] };
}

export async function decisionsByIds(db: Database, tenantId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(decisions)
    .where(and(eq(decisions.tenantId, tenantId), inArray(decisions.id, ids)));
}

export async function countFriction(db: Database, tenantId: string, filter: FeedbackFilter): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(feedback)
    .where(filterWhere(tenantId, { ...filter, kind: "friction" }));
  return row?.n ?? 0;
}
