/**
 * Runbooks through the API: the same source format and validation as the runbooks importer
 * (shared/imports/importers/runbooks), stored in the same tables, so imported and authored
 * runbooks are one list. Authoring is Cedar `configure` on the Runbook (admins).
 */
import type { TenantCtx } from "../../context/context";
import { AppError } from "../../errors/app-error";
import { newId } from "../../ids/ids";
import { mapRunbook } from "../../imports/importers/runbooks/map";
import { resolveLimits } from "../../imports/limits";
import { contentHash } from "../../imports/state/sql";
import { decodeCursor, pageOf } from "../../pagination/cursor";
import { gated } from "../events/gated";
import { runbookView } from "./runbook-view";
import {
  addRunbookVersion,
  findRunbook,
  findRunbookByKey,
  insertRunbook,
  listRunbookRows,
  listVersions,
} from "./runbooks-repo";

/** Importer validation, answered as a 422 problem with the field's pointer. */
function validated(source: unknown) {
  const mapped = mapRunbook({ limits: resolveLimits() }, 0, source);
  if (mapped.ok) return mapped.value.fields;
  const { error } = mapped;
  const message = error.hint ? `${error.message} ${error.hint}` : error.message;
  throw new AppError("unprocessable", `The runbook is not valid: ${message}`, {
    errors: [{ pointer: error.column ?? "", in: "body", code: error.code, message }],
  });
}

const resource = (ctx: TenantCtx, id: string) => ({ type: "Runbook" as const, id, tenantId: ctx.tenant.id });

export async function createRunbook({ ctx, input }: { ctx: TenantCtx; input: unknown }) {
  const fields = validated(input);
  if (await findRunbookByKey(ctx.db, ctx.tenant.id, fields.id)) {
    throw new AppError("conflict", `A runbook "${fields.id}" exists; add a version to it instead.`);
  }
  const id = newId("rb");
  const content = fields as unknown as Record<string, unknown>;
  const done = await gated(ctx, { action: "configure", resource: resource(ctx, id) }, async (tx) => {
    const row = await insertRunbook(tx.db, {
      id,
      tenantId: ctx.tenant.id,
      key: fields.id,
      title: fields.title,
      content,
      contentHash: contentHash(content),
      createdAt: ctx.clock.now(),
      updatedAt: ctx.clock.now(),
    });
    const facts = { id, key: row.key, contentHash: row.contentHash };
    return { result: row, actions: [{ kind: "runbook.created", subject: `runbook:${id}`, facts }] };
  });
  return { runbook: runbookView(done.result), receiptId: done.receiptId };
}

export async function addVersion({ ctx, id, input }: { ctx: TenantCtx; id: string; input: unknown }) {
  const current = await mustFind(ctx, id);
  const fields = validated(input);
  if (fields.id !== current.key) {
    throw new AppError(
      "unprocessable",
      `The body's id "${fields.id}" is not this runbook's ("${current.key}").`,
    );
  }
  const content = fields as unknown as Record<string, unknown>;
  const hash = contentHash(content);
  if (hash === current.contentHash) throw new AppError("conflict", "The content is the current version's.");
  const done = await gated(ctx, { action: "configure", resource: resource(ctx, id) }, async (tx) => {
    const locked = await findRunbook(tx.db, ctx.tenant.id, id, true);
    if (!locked) throw new AppError("not_found", `No runbook ${id} in this tenant.`);
    const at = ctx.clock.now();
    const row = await addRunbookVersion(tx.db, locked, {
      title: fields.title,
      content,
      contentHash: hash,
      at,
    });
    const facts = { id, version: row.currentVersion, contentHash: hash };
    return { result: row, actions: [{ kind: "runbook.versioned", subject: `runbook:${id}`, facts }] };
  });
  return { runbook: runbookView(done.result), receiptId: done.receiptId };
}

export async function mustFind(ctx: TenantCtx, id: string) {
  const row = await findRunbook(ctx.db, ctx.tenant.id, id);
  if (!row) throw new AppError("not_found", `No runbook ${id} in this tenant.`);
  return row;
}

export async function getRunbook({ ctx, id }: { ctx: TenantCtx; id: string }) {
  return runbookView(await mustFind(ctx, id));
}

export async function listRunbooks({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { limit: number; cursor?: string };
}) {
  const rows = await listRunbookRows(ctx.db, ctx.tenant.id, { ...input, after: decodeCursor(input.cursor) });
  const page = pageOf(rows, input.limit);
  return { items: page.items.map(runbookView), nextCursor: page.nextCursor };
}

export async function listRunbookVersions({ ctx, id }: { ctx: TenantCtx; id: string }) {
  const runbook = await mustFind(ctx, id);
  const rows = await listVersions(ctx.db, ctx.tenant.id, runbook.key);
  return {
    items: rows.map((v) => ({
      version: v.versionNo,
      contentHash: v.contentHash,
      importId: v.importId,
      content: v.content,
      createdAt: v.createdAt.toISOString(),
    })),
  };
}
