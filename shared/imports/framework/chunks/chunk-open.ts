/**
 * The opening both chunk steps share (apply and revert): the chunk row is taken FOR
 * UPDATE, and the step goes on only while that chunk is pending and its import is in the
 * status the step serves. A duplicate or redelivered message, or an import that failed or
 * moved on, finds nothing to do.
 */
import type { Database } from "../../../db/client";
import type { Import } from "../../../db/schema";
import { findImport } from "../commit/imports-repo";
import type { ChunkRef } from "./chunk-step";

export async function openChunk<C extends { status: string }>(
  tx: Database,
  ref: ChunkRef,
  lock: (tx: Database, ref: ChunkRef) => Promise<C | undefined>,
  importStatus: Import["status"],
): Promise<{ chunk: C; imp: Import } | undefined> {
  const chunk = await lock(tx, ref);
  if (chunk?.status !== "pending") return undefined; // done already (duplicate, redelivery) or parked
  const imp = await findImport(tx, ref.tenantId, ref.importId);
  if (imp?.status !== importStatus) return undefined; // failed: a resume re-sends its pending chunks
  return { chunk, imp };
}
