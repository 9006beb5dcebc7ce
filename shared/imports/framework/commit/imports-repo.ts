/** imports and import_chunks: always within one tenant. */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { type Import, type ImportChunk, importChunks, imports, tenants } from "../../../db/schema";

export async function findImport(db: Database, tenantId: string, id: string): Promise<Import | undefined> {
  const [row] = await db
    .select()
    .from(imports)
    .where(and(eq(imports.tenantId, tenantId), eq(imports.id, id)))
    .limit(1);
  return row;
}

export async function findImportByPlan(db: Database, tenantId: string, planId: string) {
  const [row] = await db
    .select()
    .from(imports)
    .where(and(eq(imports.tenantId, tenantId), eq(imports.planId, planId)))
    .limit(1);
  return row;
}

/** The latest completed import of this content (same file, mapping, options, importer). */
export async function findCompletedByContent(db: Database, tenantId: string, contentKey: string) {
  const [row] = await db
    .select()
    .from(imports)
    .where(
      and(
        eq(imports.tenantId, tenantId),
        eq(imports.contentKey, contentKey),
        eq(imports.status, "completed"),
      ),
    )
    .orderBy(desc(imports.createdAt))
    .limit(1);
  return row;
}

/** Imports of the kind still writing its rows: applying, or reverting (at most one, by index). */
export async function applyingImports(db: Database, tenantId: string, kind: string): Promise<Import[]> {
  return db
    .select()
    .from(imports)
    .where(
      and(
        eq(imports.tenantId, tenantId),
        eq(imports.kind, kind),
        inArray(imports.status, ["applying", "reverting"]),
      ),
    );
}

/**
 * Inserts the import unless this plan already has one or another import of the kind is
 * applying (both unique indexes): undefined then, and the caller looks up which.
 */
export async function insertImport(
  db: Database,
  row: typeof imports.$inferInsert,
): Promise<Import | undefined> {
  const [created] = await db.insert(imports).values(row).onConflictDoNothing().returning();
  return created;
}

export async function updateImport(
  db: Database,
  tenantId: string,
  id: string,
  patch: Partial<typeof imports.$inferInsert>,
): Promise<Import | undefined> {
  const [row] = await db
    .update(imports)
    .set(patch)
    .where(and(eq(imports.tenantId, tenantId), eq(imports.id, id)))
    .returning();
  return row;
}

/** Counts one applied chunk; the returned row tells whether it was the last. Locks the import row. */
export async function countAppliedChunk(
  db: Database,
  tenantId: string,
  id: string,
  applied: { rows: number; skipped: number; at: Date },
): Promise<Import | undefined> {
  return updateImport(db, tenantId, id, {
    chunksDone: sql`${imports.chunksDone} + 1` as unknown as number,
    rowsApplied: sql`${imports.rowsApplied} + ${applied.rows}` as unknown as number,
    rowsSkipped: sql`${imports.rowsSkipped} + ${applied.skipped}` as unknown as number,
    updatedAt: applied.at,
  });
}

export async function insertChunks(db: Database, rows: (typeof importChunks.$inferInsert)[]) {
  const size = 1_000; // 9 columns: far below 65,535 parameters
  for (let i = 0; i < rows.length; i += size) await db.insert(importChunks).values(rows.slice(i, i + size));
}

export async function listChunks(db: Database, tenantId: string, importId: string): Promise<ImportChunk[]> {
  return db
    .select()
    .from(importChunks)
    .where(and(eq(importChunks.tenantId, tenantId), eq(importChunks.importId, importId)))
    .orderBy(asc(importChunks.chunkNo));
}

export async function lockChunk(db: Database, tenantId: string, importId: string, chunkNo: number) {
  const [row] = await db
    .select()
    .from(importChunks)
    .where(
      and(
        eq(importChunks.tenantId, tenantId),
        eq(importChunks.importId, importId),
        eq(importChunks.chunkNo, chunkNo),
      ),
    )
    .for("update");
  return row;
}

export async function updateChunk(
  db: Database,
  key: { tenantId: string; importId: string; chunkNo: number },
  patch: Partial<typeof importChunks.$inferInsert>,
) {
  await db
    .update(importChunks)
    .set(patch)
    .where(
      and(
        eq(importChunks.tenantId, key.tenantId),
        eq(importChunks.importId, key.importId),
        eq(importChunks.chunkNo, key.chunkNo),
      ),
    );
}

export async function findTenantRef(db: Database, tenantId: string) {
  const [row] = await db
    .select({ id: tenants.id, slug: tenants.slug, name: tenants.name })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .limit(1);
  return row;
}

export async function lockImport(db: Database, tenantId: string, id: string): Promise<Import | undefined> {
  const [row] = await db
    .select()
    .from(imports)
    .where(and(eq(imports.tenantId, tenantId), eq(imports.id, id)))
    .for("update");
  return row;
}

export async function reviveDeadChunks(db: Database, tenantId: string, importId: string) {
  await db
    .update(importChunks)
    .set({ status: "pending", attempts: 0, lastError: null })
    .where(
      and(
        eq(importChunks.tenantId, tenantId),
        eq(importChunks.importId, importId),
        eq(importChunks.status, "dead"),
      ),
    );
}
