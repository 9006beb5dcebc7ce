/**
 * One queued chunk step (apply or revert): the work in ONE transaction; a failure is
 * recorded outside it (the transaction rolled back) and rethrown, so the queue retries.
 * The last allowed attempt parks the chunk as dead and tells its import or revert.
 */
import type { Ctx } from "../../../context/context";
import type { Database } from "../../../db/client";
import { maxAttempts } from "../../../jobs/messages";

export interface ChunkRef {
  tenantId: string;
  importId: string;
  chunkNo: number;
}

export interface ChunkFailure {
  /** What the log line names if even recording fails: "an import chunk", "a revert chunk". */
  what: string;
  /** Writes the attempt on the chunk row (`status: "dead"` on the last one). */
  markAttempt(
    db: Database,
    patch: { attempts: number; lastError: string; status?: "dead" },
  ): Promise<unknown>;
  /** The chunk is parked: records on its import or revert what failed and what to do. */
  markParked(db: Database, message: string, attempts: number): Promise<unknown>;
}

export async function runChunkStep(
  ctx: Ctx,
  ref: ChunkRef,
  attempts: number,
  work: (tx: Database) => Promise<void>,
  failure: ChunkFailure,
): Promise<void> {
  try {
    await ctx.db.transaction(work);
  } catch (error) {
    await recordFailure(ctx, ref, error, attempts, failure);
    throw error;
  }
}

async function recordFailure(
  ctx: Ctx,
  ref: ChunkRef,
  error: unknown,
  attempts: number,
  failure: ChunkFailure,
) {
  const message = error instanceof Error ? error.message : String(error);
  const dead = attempts >= maxAttempts;
  try {
    await failure.markAttempt(ctx.db, { attempts, lastError: message, ...(dead ? { status: "dead" } : {}) });
    if (dead) await failure.markParked(ctx.db, message, attempts);
  } catch (recordError) {
    ctx.logger.error(`could not record ${failure.what} failure`, { ...ref, error: String(recordError) });
  }
}
