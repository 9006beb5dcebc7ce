/**
 * Where an import's bytes come from. Every source, inline body or upload, is stored once by
 * its SHA-256 at `imports/<tenant>/sources/<sha256>` (content-addressed: the same bytes
 * again find the object there and do not rewrite it). An upload is read once, hashed and
 * copied there from those very bytes, so a second PUT to its URL cannot change what was
 * planned; the upload object itself is then only housekeeping's to delete. Every read of a
 * source is still hashed on the way and refused if the bytes are not the recorded ones.
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

export type PendingSource = Omit<typeof importSources.$inferInsert, "createdAt"> & {
  /** An inline body: stored at `objectKey` if absent, and planned from memory. */
  inline?: Uint8Array;
  /** An upload's bytes as hashed: stored at `objectKey` if absent, then dropped (planned from the store). */
  copy?: Uint8Array;
};

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

/** Reads and hashes an uploaded object once; nothing is written yet. */
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
  const pieces: Uint8Array[] = [];
  let size = 0;
  for await (const piece of object.body as unknown as AsyncIterable<Uint8Array>) {
    size += piece.byteLength;
    if (size > limit) throw tooLarge(limit);
    hash.update(piece);
    pieces.push(piece);
  }
  const sha256 = hash.digest("hex");
  return {
    tenantId: ctx.tenant.id,
    sha256,
    objectKey: sourceKey(ctx.tenant.id, sha256),
    size,
    contentType: upload.contentType ?? object.contentType ?? null,
    name: upload.name,
    copy: concat(pieces, size),
  };
}

function concat(pieces: Uint8Array[], size: number): Uint8Array {
  if (pieces.length === 1 && pieces[0]) return pieces[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.byteLength;
  }
  return out;
}

/**
 * Stores the bytes at `sources/<sha256>` unless an object is there already (written once),
 * records the source and returns the recorded one. An upload's copy is released here.
 */
export async function recordPendingSource(ctx: SourceCtx, pending: PendingSource): Promise<ImportSource> {
  const { inline, copy, ...row } = pending;
  delete pending.copy;
  const bytes = inline ?? copy;
  if (bytes && !(await ctx.store.head(row.objectKey))) {
    await ctx.store.put(row.objectKey, bytes, {
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
