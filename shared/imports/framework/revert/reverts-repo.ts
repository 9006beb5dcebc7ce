/** import_reverts and import_revert_chunks: always within one tenant. */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import {
  type ImportRevert,
  type ImportRevertChunk,
  importRevertChunks,
  importReverts,
} from "../../../db/schema";

interface ChunkKey {
  tenantId: string;
  importId: string;
  chunkNo: number;
}

const chunkWhere = (key: ChunkKey) =>
  and(
    eq(importRevertChunks.tenantId, key.tenantId),
    eq(importRevertChunks.importId, key.importId),
    eq(importRevertChunks.chunkNo, key.chunkNo),
  );

export async function insertRevert(
  db: Database,
  row: typeof importReverts.$inferInsert,
  chunkNos: number[],
): Promise<ImportRevert> {
  const [created] = await db.insert(importReverts).values(row).returning();
  if (!created) throw new Error("revert insert returned nothing");
  const size = 1_000;
  for (let i = 0; i < chunkNos.length; i += size) {
    await db.insert(importRevertChunks).values(
      chunkNos.slice(i, i + size).map((chunkNo) => ({
        tenantId: row.tenantId,
        importId: row.importId,
        chunkNo,
      })),
    );
  }
  return created;
}

export async function findRevert(
  db: Database,
  tenantId: string,
  importId: string,
): Promise<ImportRevert | undefined> {
  const [row] = await db
    .select()
    .from(importReverts)
    .where(and(eq(importReverts.tenantId, tenantId), eq(importReverts.importId, importId)))
    .limit(1);
  return row;
}

export async function updateRevert(
  db: Database,
  tenantId: string,
  importId: string,
  patch: Partial<typeof importReverts.$inferInsert>,
): Promise<ImportRevert | undefined> {
  const [row] = await db
    .update(importReverts)
    .set(patch)
    .where(and(eq(importReverts.tenantId, tenantId), eq(importReverts.importId, importId)))
    .returning();
  return row;
}

/** Counts one reverted chunk; the returned row tells whether it was the last. */
export async function countRevertedChunk(
  db: Database,
  key: { tenantId: string; importId: string },
  done: { deleted: number; restored: number; skipped: number },
) {
  return updateRevert(db, key.tenantId, key.importId, {
    chunksDone: sql`${importReverts.chunksDone} + 1` as unknown as number,
    deleted: sql`${importReverts.deleted} + ${done.deleted}` as unknown as number,
    restored: sql`${importReverts.restored} + ${done.restored}` as unknown as number,
    skipped: sql`${importReverts.skipped} + ${done.skipped}` as unknown as number,
    error: null,
  });
}

export async function listRevertChunks(
  db: Database,
  tenantId: string,
  importId: string,
): Promise<ImportRevertChunk[]> {
  return db
    .select()
    .from(importRevertChunks)
    .where(and(eq(importRevertChunks.tenantId, tenantId), eq(importRevertChunks.importId, importId)))
    .orderBy(asc(importRevertChunks.chunkNo));
}

export async function lockRevertChunk(db: Database, key: ChunkKey): Promise<ImportRevertChunk | undefined> {
  const [row] = await db.select().from(importRevertChunks).where(chunkWhere(key)).for("update");
  return row;
}

export async function updateRevertChunk(
  db: Database,
  key: ChunkKey,
  patch: Partial<typeof importRevertChunks.$inferInsert>,
) {
  await db.update(importRevertChunks).set(patch).where(chunkWhere(key));
}

export async function reviveDeadRevertChunks(db: Database, tenantId: string, importId: string) {
  await db
    .update(importRevertChunks)
    .set({ status: "pending", attempts: 0, lastError: null })
    .where(
      and(
        eq(importRevertChunks.tenantId, tenantId),
        eq(importRevertChunks.importId, importId),
        eq(importRevertChunks.status, "dead"),
      ),
    );
}
