import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { commands, type Incident, incidents, runbookRuns } from "../../db/schema";
import type { Position } from "../../pagination/cursor";
import { olderThan } from "../../pagination/keyset";

export async function insertIncident(db: Database, row: typeof incidents.$inferInsert): Promise<Incident> {
  const [created] = await db.insert(incidents).values(row).returning();
  if (!created) throw new Error("incident insert returned no row");
  return created;
}

export async function findIncident(db: Database, tenantId: string, id: string, lock = false) {
  const query = db
    .select()
    .from(incidents)
    .where(and(eq(incidents.tenantId, tenantId), eq(incidents.id, id)))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  return row;
}

export async function updateIncident(
  db: Database,
  tenantId: string,
  id: string,
  patch: Partial<typeof incidents.$inferInsert>,
): Promise<Incident> {
  const [row] = await db
    .update(incidents)
    .set(patch)
    .where(and(eq(incidents.tenantId, tenantId), eq(incidents.id, id)))
    .returning();
  if (!row) throw new Error("incident update matched no row");
  return row;
}

/** Newest opened first. */
export async function listIncidentRows(
  db: Database,
  tenantId: string,
  options: { limit: number; after?: Position; status?: Incident["status"] },
) {
  const { after } = options;
  return db
    .select()
    .from(incidents)
    .where(
      and(
        eq(incidents.tenantId, tenantId),
        options.status ? eq(incidents.status, options.status) : undefined,
        olderThan(incidents.createdAt, incidents.id, after),
      ),
    )
    .orderBy(desc(incidents.createdAt), desc(incidents.id))
    .limit(options.limit + 1);
}

/** The runbook runs and commands linked to an incident. */
export async function incidentLinks(db: Database, tenantId: string, incidentId: string) {
  const runs = await db
    .select({ id: runbookRuns.id })
    .from(runbookRuns)
    .where(and(eq(runbookRuns.tenantId, tenantId), eq(runbookRuns.incidentId, incidentId)))
    .orderBy(runbookRuns.createdAt);
  const cmds = await db
    .select({ id: commands.id })
    .from(commands)
    .where(and(eq(commands.tenantId, tenantId), eq(commands.incidentId, incidentId)))
    .orderBy(commands.createdAt);
  return { runbookRuns: runs.map((r) => r.id), commands: cmds.map((c) => c.id) };
}
