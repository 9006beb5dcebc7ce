/**
 * Where an import's bytes come from. Every source, inline body or upload, is stored once by
 * its SHA-256 at `imports/<tenant>/sources/<sha256>` (content-addressed: the same bytes
 * again find the object there and do not rewrite it). An upload is copied there from a
 * snapshot of it that was hashed, so a second PUT to its URL cannot change what was
 * planned; the upload object itself is then only housekeeping's to delete. Every read of a
 * source is still hashed on the way and refused if the bytes are not the recorded ones.
 */
import { createHash } from "node:crypto";
import type { TenantCtx } from "../../../context/context";
import type { ImportSource, importSources } from "../../../db/schema";
import { AppError } from "../../../errors/app-error";
import { newId } from "../../../ids/ids";
import type { ObjectStore } from "../../../platform/ports";
import { tooLarge } from "../../read/text";
import { findSource, findUpload, recordSource, touchSource } from "./sources-repo";

export const sourceKey = (tenantId: string, sha256: string) => `imports/${tenantId}/sources/${sha256}`;

type SourceCtx = Pick<TenantCtx, "db" | "store" | "tenant" | "clock" | "importLimits" | "importReader">;

export type PendingSource = Omit<typeof importSources.$inferInsert, "createdAt" | "lastUsedAt"> & {
  /** An inline body: stored at `objectKey` if absent, and planned from memory. */
  inline?: Uint8Array;
  /** The stored object was copied just now from the snapshot hashed: reading it needs no second hash. */
  hashed?: boolean;
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

/**
 * Where planning an upload snapshots it: `imports/<tenant>/staging/<upload>-<run>`, deleted
 * when done (housekeeping deletes any left by a crash with the upload).
 */
export const stagingPrefix = (tenantId: string, uploadId: string) =>
  `imports/${tenantId}/staging/${uploadId}-`;

/** An object's SHA-256 and size: the store's own (`sha256`) or its body's, hashed here up to `limit` bytes. */
async function objectSha256(store: ObjectStore, key: string, limit: number) {
  if (store.sha256) return store.sha256(key);
  const object = await store.get(key);
  if (!object) return null;
  const hash = createHash("sha256");
  let size = 0;
  for await (const piece of object.body as unknown as AsyncIterable<Uint8Array>) {
    size += piece.byteLength;
    if (size > limit) throw tooLarge(limit);
    hash.update(piece);
  }
  return { sha256: hash.digest("hex"), size };
}

/**
 * An upload, snapshotted by a server-side copy, hashed from that snapshot (which nobody can
 * write) and copied on to `sources/<sha256>` unless that object exists: the stored source
 * is exactly the bytes hashed, whatever the upload URL's holder PUTs meanwhile, and no file
 * is held in memory. The import_sources row is recorded with the plan.
 */
export async function uploadSource(ctx: SourceCtx, uploadId: string): Promise<PendingSource> {
  const upload = await findUpload(ctx.db, ctx.tenant.id, uploadId);
  if (!upload) throw new AppError("not_found", `No upload ${uploadId} in this tenant.`);
  const limit = ctx.importLimits.maxBytes;
  const snapshotKey = `${stagingPrefix(ctx.tenant.id, uploadId)}${newId("run")}`;
  const snapshot = await ctx.store.copy(upload.objectKey, snapshotKey);
  if (!snapshot) {
    throw new AppError("conflict", `Upload ${uploadId} has no file yet.`, {
      hint: "PUT the file to the upload URL first.",
    });
  }
  try {
    if (snapshot.size > limit) throw tooLarge(limit);
    // Hashing a large file takes a while: a reader thread can start meanwhile.
    ctx.importReader?.prepare?.(snapshot.size);
    const hashed = await objectSha256(ctx.store, snapshotKey, limit);
    if (!hashed) throw new Error(`upload snapshot ${snapshotKey} vanished`);
    const { sha256, size } = hashed;
    const objectKey = sourceKey(ctx.tenant.id, sha256);
    await touchSource(ctx.db, ctx.tenant.id, sha256, ctx.clock.now());
    const copied =
      !(await ctx.store.head(objectKey)) && (await ctx.store.copy(snapshotKey, objectKey)) !== null;
    return {
      hashed: copied,
      tenantId: ctx.tenant.id,
      sha256,
      objectKey,
      size,
      contentType: upload.contentType ?? snapshot.contentType ?? null,
      name: upload.name,
    };
  } finally {
    await ctx.store.delete(snapshotKey);
  }
}

/**
 * Stores an inline body at `sources/<sha256>` unless an object is there already (written
 * once; an upload is there already), records the source and returns the recorded one.
 */
export async function recordPendingSource(ctx: SourceCtx, pending: PendingSource): Promise<ImportSource> {
  const { inline, hashed: _, ...row } = pending;
  const now = ctx.clock.now();
  if (inline) await touchSource(ctx.db, row.tenantId, row.sha256, now);
  if (inline && !(await ctx.store.head(row.objectKey))) {
    await ctx.store.put(row.objectKey, inline, {
      contentType: row.contentType ?? "application/octet-stream",
    });
  }
  return recordSource(ctx.db, { ...row, createdAt: now, lastUsedAt: now });
}

/**
 * The source's bytes as a stream that fails at its end if they are not the recorded ones;
 * `hashed`: the object is a copy of the bytes hashed a moment ago, read as it is.
 */
export async function openSource(
  ctx: Pick<TenantCtx, "store">,
  source: ImportSource,
  options: { hashed?: boolean } = {},
): Promise<ReadableStream<Uint8Array>> {
  const object = await ctx.store.get(source.objectKey);
  if (!object) throw new AppError("not_found", `The import source ${source.sha256} is no longer stored.`);
  if (options.hashed) return object.body;
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
  const used = await touchSource(ctx.db, ctx.tenant.id, source.sha256, ctx.clock.now());
  const stored = used ? await findSource(ctx.db, ctx.tenant.id, source.sha256) : undefined;
  if (!stored) throw new AppError("not_found", `No import source ${source.sha256} in this tenant.`);
  const { createdAt: _, lastUsedAt: __, ...row } = stored;
  return row;
}
