import { and, asc, desc, eq, inArray } from "drizzle-orm";
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

export interface IncidentLinks {
  runbookRuns: string[];
  commands: string[];
}

/** The runbook runs and commands linked to an incident. */
export async function incidentLinks(db: Database, tenantId: string, incidentId: string) {
  return (
    (await linksOfIncidents(db, tenantId, [incidentId])).get(incidentId) ?? { runbookRuns: [], commands: [] }
  );
}

/** Links for a page of incidents in two queries (not one per incident), oldest link first. */
export async function linksOfIncidents(
  db: Database,
  tenantId: string,
  incidentIds: string[],
): Promise<Map<string, IncidentLinks>> {
  const links = new Map<string, IncidentLinks>(
    incidentIds.map((id) => [id, { runbookRuns: [], commands: [] }]),
  );
  if (incidentIds.length === 0) return links;
  const runs = await db
    .select({ id: runbookRuns.id, incidentId: runbookRuns.incidentId })
    .from(runbookRuns)
    .where(and(eq(runbookRuns.tenantId, tenantId), inArray(runbookRuns.incidentId, incidentIds)))
    .orderBy(asc(runbookRuns.createdAt), asc(runbookRuns.id));
  const cmds = await db
    .select({ id: commands.id, incidentId: commands.incidentId })
    .from(commands)
    .where(and(eq(commands.tenantId, tenantId), inArray(commands.incidentId, incidentIds)))
    .orderBy(asc(commands.createdAt), asc(commands.id));
  for (const r of runs) if (r.incidentId) links.get(r.incidentId)?.runbookRuns.push(r.id);
  for (const c of cmds) if (c.incidentId) links.get(c.incidentId)?.commands.push(c.id);
  return links;
}
