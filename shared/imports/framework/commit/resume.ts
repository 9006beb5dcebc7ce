/**
 * `resumeImport`: after a failure (a chunk parked as dead) or lost messages, re-queue what is
 * not applied. Dead chunks become pending again, the import applying again (unless another
 * import of the kind now holds that slot: 409), and every pending chunk gets a message;
 * applied chunks are never touched, so resuming twice is harmless.
 */
import type { TenantCtx } from "../../../context/context";
import { isUniqueViolation } from "../../../db/errors";
import { AppError } from "../../../errors/app-error";
import { enforce } from "../../../policy/authorize";
import { importRequest } from "../import-request";
import { getImportRow, importSummary } from "../views/import-view";
import { listChunks, reviveDeadChunks, updateImport } from "./imports-repo";

export async function resumeImport({ ctx, id }: { ctx: TenantCtx; id: string }) {
  const imp = await getImportRow(ctx, id);
  await enforce({
    ctx,
    input: importRequest(ctx, imp.id, { dryRun: false, grantsAdmin: false }),
  });
  if (imp.status !== "failed" && imp.status !== "applying") {
    throw new AppError(
      "conflict",
      `Import ${id} is ${imp.status}; only a failed or applying import resumes.`,
    );
  }
  try {
    await ctx.db.transaction(async (tx) => {
      await reviveDeadChunks(tx, ctx.tenant.id, id);
      await updateImport(tx, ctx.tenant.id, id, {
        status: "applying",
        error: null,
        updatedAt: ctx.clock.now(),
      });
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new AppError(
      "conflict",
      `Another import of ${imp.kind} is applying; resume ${id} when it has finished.`,
      {
        importCode: "import_in_progress",
      },
    );
  }
  for (const chunk of await listChunks(ctx.db, ctx.tenant.id, id)) {
    if (chunk.status !== "pending") continue;
    await ctx.queue.send({
      v: 1,
      type: "import.chunk",
      tenantId: ctx.tenant.id,
      importId: id,
      chunkNo: chunk.chunkNo,
    });
  }
  return importSummary(ctx, await getImportRow(ctx, id));
}
