/**
 * Large files: `createUpload` hands out a slot under `imports/<tenant>/uploads/<id>`, with a
 * presigned PUT when the store can presign (S3, R2, MinIO), else a PUT on this API
 * (`receiveUpload`, admin only, size-limited). Then `POST /v1/imports` names the upload.
 */
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

/** The fallback PUT: stores the body as the upload's object, once, before the slot expires. */
export async function receiveUpload({ ctx, id, bytes }: { ctx: TenantCtx; id: string; bytes: Uint8Array }) {
  const upload = await findUpload(ctx.db, ctx.tenant.id, id);
  if (!upload) throw new AppError("not_found", `No upload ${id} in this tenant.`);
  if (upload.expiresAt.getTime() < ctx.clock.now().getTime()) {
    throw new AppError("conflict", `Upload ${id} expired at ${upload.expiresAt.toISOString()}.`, {
      hint: "POST /v1/imports/uploads for a new one.",
    });
  }
  if (upload.receivedAt) throw new AppError("conflict", `Upload ${id} already has its file.`);
  if (bytes.byteLength > upload.maxBytes) throw tooLarge(upload.maxBytes);
  await ctx.store.put(upload.objectKey, bytes, {
    contentType: upload.contentType ?? "application/octet-stream",
  });
  await markUploadReceived(ctx.db, ctx.tenant.id, id, ctx.clock.now());
  return { id, size: bytes.byteLength, receivedAt: ctx.clock.now().toISOString() };
}
