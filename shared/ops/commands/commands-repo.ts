import { and, asc, desc, eq, inArray, isNotNull, lte, notExists, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { type Command, type CommandStatus, commandAttempts, commands } from "../../db/schema";
import type { Position } from "../../pagination/cursor";
import { olderThan } from "../../pagination/keyset";

export async function insertCommand(db: Database, row: typeof commands.$inferInsert): Promise<Command> {
  const [created] = await db.insert(commands).values(row).returning();
  if (!created) throw new Error("command insert returned no row");
  return created;
}

export async function findCommand(db: Database, tenantId: string, id: string, lock = false) {
  const query = db
    .select()
    .from(commands)
    .where(and(eq(commands.tenantId, tenantId), eq(commands.id, id)))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  return row;
}

/** Updates a command only while it is in one of `from`: undefined when it has moved on. */
export async function moveCommand(
  db: Database,
  tenantId: string,
  id: string,
  from: readonly CommandStatus[],
  patch: Partial<typeof commands.$inferInsert>,
): Promise<Command | undefined> {
  const [row] = await db
    .update(commands)
    .set(patch)
    .where(and(eq(commands.tenantId, tenantId), eq(commands.id, id), inArray(commands.status, [...from])))
    .returning();
  return row;
}

export async function listCommandRows(
  db: Database,
  tenantId: string,
  options: { limit: number; after?: Position; status?: CommandStatus },
) {
  const { after } = options;
  return db
    .select()
    .from(commands)
    .where(
      and(
        eq(commands.tenantId, tenantId),
        options.status ? eq(commands.status, options.status) : undefined,
        olderThan(commands.createdAt, commands.id, after),
      ),
    )
    .orderBy(desc(commands.createdAt), desc(commands.id))
    .limit(options.limit + 1);
}

/** Takes attempt `attemptNo`; false when another delivery of the same message already took it. */
export async function claimAttempt(db: Database, row: typeof commandAttempts.$inferInsert): Promise<boolean> {
  const claimed = await db.insert(commandAttempts).values(row).onConflictDoNothing().returning();
  return claimed.length > 0;
}

export async function finishAttempt(
  db: Database,
  tenantId: string,
  id: string,
  patch: Partial<typeof commandAttempts.$inferInsert>,
) {
  await db
    .update(commandAttempts)
    .set(patch)
    .where(and(eq(commandAttempts.tenantId, tenantId), eq(commandAttempts.id, id)));
}

export async function listAttempts(db: Database, tenantId: string, commandId: string) {
  return db
    .select()
    .from(commandAttempts)
    .where(and(eq(commandAttempts.tenantId, tenantId), eq(commandAttempts.commandId, commandId)))
    .orderBy(asc(commandAttempts.attemptNo));
}

/** Never moves the count back: a later attempt may have been recorded first. */
export async function raiseAttemptCount(db: Database, tenantId: string, id: string, attemptNo: number) {
  await db
    .update(commands)
    .set({ attemptCount: sql`greatest(${commands.attemptCount}, ${attemptNo})` })
    .where(and(eq(commands.tenantId, tenantId), eq(commands.id, id)));
}

export async function findAttempt(db: Database, tenantId: string, commandId: string, attemptNo: number) {
  const [row] = await db
    .select()
    .from(commandAttempts)
    .where(
      and(
        eq(commandAttempts.tenantId, tenantId),
        eq(commandAttempts.commandId, commandId),
        eq(commandAttempts.attemptNo, attemptNo),
      ),
    )
    .limit(1);
  return row;
}

/**
 * Webhook commands of any tenant still `dispatched` since before `dispatchedBefore` with no
 * delivery attempt at all: their first queue message never arrived. Oldest first.
 */
export async function stuckWebhookCommands(db: Database, dispatchedBefore: Date, limit: number) {
  const attempted = db
    .select({ one: sql`1` })
    .from(commandAttempts)
    .where(and(eq(commandAttempts.tenantId, commands.tenantId), eq(commandAttempts.commandId, commands.id)));
  return db
    .select({ tenantId: commands.tenantId, id: commands.id, dispatchedAt: commands.dispatchedAt })
    .from(commands)
    .where(
      and(
        eq(commands.status, "dispatched"),
        eq(commands.dispatchMode, "webhook"),
        lte(commands.dispatchedAt, dispatchedBefore),
        notExists(attempted),
      ),
    )
    .orderBy(asc(commands.dispatchedAt))
    .limit(limit);
}

/** Commands a runbook step issued and never released (the worker died after the launch committed). */
export async function unreleasedRunCommands(db: Database, requestedBefore: Date, limit: number) {
  return db
    .select()
    .from(commands)
    .where(
      and(
        eq(commands.status, "requested"),
        isNotNull(commands.runId),
        lte(commands.createdAt, requestedBefore),
      ),
    )
    .orderBy(asc(commands.createdAt))
    .limit(limit);
}

/** A run's commands that have not reached an executor or an operator yet. */
export async function undispatchedRunCommands(db: Database, tenantId: string, runId: string) {
  return db
    .select()
    .from(commands)
    .where(
      and(
        eq(commands.tenantId, tenantId),
        eq(commands.runId, runId),
        inArray(commands.status, ["requested", "awaiting_approval"]),
      ),
    )
    .for("update");
}
