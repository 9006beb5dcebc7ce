/**
 * Large files: `createUpload` hands out a slot under `imports/<tenant>/uploads/<id>`, with a
 * presigned PUT when the store can presign (S3, R2, MinIO), else a PUT on this API
 * (`receiveUpload`, admin only: the body streamed to the store, counted and hashed, up to the
 * slot's limit). Then `POST /v1/imports` names the upload.
 */
import { createHash } from "node:crypto";
import type { TenantCtx } from "../../../context/context";
import { AppError } from "../../../errors/app-error";
import { newId } from "../../../ids/ids";
import { tooLarge } from "../../read/text";
import { findUpload, insertUpload, markUploadReceived } from "./sources-repo";

export const uploadTtlSeconds = 15 * 60;

export async function createUpload({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { name?: string; contentType?: string };
}) {
  const id = newId("upl");
  const objectKey = `imports/${ctx.tenant.id}/uploads/${id}`;
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + uploadTtlSeconds * 1000);
  const maxBytes = ctx.importLimits.maxBytes;
  const presigned = await ctx.store.presign(objectKey, { method: "PUT", expiresInSeconds: uploadTtlSeconds });
  await insertUpload(ctx.db, {
    id,
    tenantId: ctx.tenant.id,
    objectKey,
    name: input.name ?? null,
    contentType: input.contentType ?? null,
    maxBytes,
    createdBy: `${ctx.actor.type}:${ctx.actor.id}`,
    expiresAt,
    createdAt: now,
  });
  return {
    id,
    method: "PUT" as const,
    url: presigned ?? `/v1/imports/uploads/${id}`,
    /** true: PUT straight to the object store, no credential; false: PUT here with your API key. */
    direct: presigned !== null,
    headers: input.contentType ? { "content-type": input.contentType } : {},
    expiresAt: expiresAt.toISOString(),
    maxBytes,
  };
}

/**
 * The fallback PUT: streams the body into the upload's object, once, before the slot
 * expires, counting and hashing it on the way. A body over the slot's limit (declared or
 * counted) is refused with 413 and nothing of it is kept; the slot stays open for another try.
 */
export async function receiveUpload({
  ctx,
  id,
  body,
  declaredBytes,
}: {
  ctx: TenantCtx;
  id: string;
  body: ReadableStream<Uint8Array> | null;
  /** The request's Content-Length, when it gave one. */
  declaredBytes?: number;
}) {
  const upload = await findUpload(ctx.db, ctx.tenant.id, id);
  if (!upload) throw new AppError("not_found", `No upload ${id} in this tenant.`);
  if (upload.expiresAt.getTime() < ctx.clock.now().getTime()) {
    throw new AppError("conflict", `Upload ${id} expired at ${upload.expiresAt.toISOString()}.`, {
      hint: "POST /v1/imports/uploads for a new one.",
    });
  }
  if (upload.receivedAt) throw new AppError("conflict", `Upload ${id} already has its file.`);
  if (declaredBytes !== undefined && declaredBytes > upload.maxBytes) throw tooLarge(upload.maxBytes);
  const counted = countedBody(body ?? emptyStream(), upload.maxBytes);
  const stored = await ctx.store.putStream(upload.objectKey, counted.stream, {
    contentType: upload.contentType ?? "application/octet-stream",
  });
  await markUploadReceived(ctx.db, ctx.tenant.id, id, ctx.clock.now());
  return { id, size: stored.size, sha256: counted.sha256(), receivedAt: ctx.clock.now().toISOString() };
}

/** The body passed through as it comes, hashed and counted; it fails with 413 past `limit` bytes. */
function countedBody(body: ReadableStream<Uint8Array>, limit: number) {
  const hash = createHash("sha256");
  let size = 0;
  let digest: string | undefined;
  const stream = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(piece, controller) {
        size += piece.byteLength;
        if (size > limit) throw tooLarge(limit);
        hash.update(piece);
        controller.enqueue(piece);
      },
      flush() {
        digest = hash.digest("hex");
      },
    }),
  );
  return {
    stream,
    sha256: () => {
      if (digest === undefined) throw new Error("the upload body was not read to its end");
      return digest;
    },
  };
}

function emptyStream(): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (controller) => controller.close() });
}
