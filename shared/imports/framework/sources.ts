/**
 * Where an import's bytes come from. An inline body is stored by its SHA-256 at
 * `imports/<tenant>/sources/<sha256>`. An uploaded object stays at its upload key and is
 * recorded under its SHA-256 too; since its holder could PUT again until the URL expires,
 * every read of it is hashed on the way and refused if the bytes are not the recorded ones.
 */
import { createHash } from "node:crypto";
import type { TenantCtx } from "../../context/context";
import type { ImportSource, importSources } from "../../db/schema";
import { AppError } from "../../errors/app-error";
import { resolveLimits } from "../limits";
import { tooLarge } from "../read/text";
import { findSource, findUpload, recordSource } from "./sources-repo";

export const sourceKey = (tenantId: string, sha256: string) => `imports/${tenantId}/sources/${sha256}`;

type SourceCtx = Pick<TenantCtx, "db" | "store" | "tenant" | "clock">;

export type PendingSource = Omit<typeof importSources.$inferInsert, "createdAt"> & { inline?: Uint8Array };

/** An inline body's digest and where it will be stored; nothing is written yet. */
export function inlineSource(
  ctx: Pick<TenantCtx, "tenant">,
  input: { bytes: Uint8Array; contentType: string | null },
): PendingSource {
  const sha256 = createHash("sha256").update(input.bytes).digest("hex");
  return {
    tenantId: ctx.tenant.id,
    sha256,
    objectKey: sourceKey(ctx.tenant.id, sha256),
    size: input.bytes.byteLength,
    contentType: input.contentType,
    name: null,
    inline: input.bytes,
  };
}

/** Hashes an uploaded object (streaming); nothing is written yet. */
export async function uploadSource(ctx: SourceCtx, uploadId: string): Promise<PendingSource> {
  const upload = await findUpload(ctx.db, ctx.tenant.id, uploadId);
  if (!upload) throw new AppError("not_found", `No upload ${uploadId} in this tenant.`);
  const object = await ctx.store.get(upload.objectKey);
  if (!object) {
    throw new AppError("conflict", `Upload ${uploadId} has no file yet.`, {
      hint: "PUT the file to the upload URL first.",
    });
  }
  const limit = resolveLimits().maxBytes;
  const hash = createHash("sha256");
  let size = 0;
  for await (const piece of object.body as unknown as AsyncIterable<Uint8Array>) {
    size += piece.byteLength;
    if (size > limit) throw tooLarge(limit);
    hash.update(piece);
  }
  return {
    tenantId: ctx.tenant.id,
    sha256: hash.digest("hex"),
    objectKey: upload.objectKey,
    size,
    contentType: upload.contentType ?? object.contentType ?? null,
    name: upload.name,
  };
}

/** Stores an inline body by digest (once) and records the source; returns the recorded one. */
export async function recordPendingSource(ctx: SourceCtx, pending: PendingSource): Promise<ImportSource> {
  const { inline, ...row } = pending;
  if (inline && !(await ctx.store.head(row.objectKey))) {
    await ctx.store.put(row.objectKey, inline, {
      contentType: row.contentType ?? "application/octet-stream",
    });
  }
  return recordSource(ctx.db, { ...row, createdAt: ctx.clock.now() });
}

/** The source's bytes as a stream that fails at its end if they are not the recorded ones. */
export async function openSource(
  ctx: Pick<TenantCtx, "store">,
  source: ImportSource,
): Promise<ReadableStream<Uint8Array>> {
  const object = await ctx.store.get(source.objectKey);
  if (!object) throw new AppError("not_found", `The import source ${source.sha256} is no longer stored.`);
  const hash = createHash("sha256");
  return object.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(piece, controller) {
        hash.update(piece);
        controller.enqueue(piece);
      },
      flush() {
        if (hash.digest("hex") !== source.sha256) {
          throw new AppError("conflict", "The uploaded file changed while it was being read; plan it again.");
        }
      },
    }),
  );
}

/** Where a plan's bytes come from: an inline body, an upload, or a source already stored. */
export async function pendingSource(
  ctx: SourceCtx,
  source: { bytes: Uint8Array; contentType: string | null } | { upload: string } | { sha256: string },
): Promise<PendingSource> {
  if ("bytes" in source) return inlineSource(ctx, source);
  if ("upload" in source) return uploadSource(ctx, source.upload);
  const stored = await findSource(ctx.db, ctx.tenant.id, source.sha256);
  if (!stored) throw new AppError("not_found", `No import source ${source.sha256} in this tenant.`);
  const { createdAt: _, ...row } = stored;
  return row;
}
