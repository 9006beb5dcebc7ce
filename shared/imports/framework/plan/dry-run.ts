/**
 * `createPlan`: the dry run. Policy first (import, dryRun), then the content-addressed plan
 * id: a plan already made for this id is returned as it is (planned again if the store lost
 * its objects, plan-objects.ts). Otherwise the file streams
 * through the importer and the diff (plan-stream.ts), rows go to the object store, the
 * signed error manifest beside them, metadata and counts to import_plans, and an
 * `import.planned` receipt is left.
 */
import type { TenantCtx } from "../../../context/context";
import type { ImportPlan } from "../../../db/schema";
import { AppError } from "../../../errors/app-error";
import { actorRoles } from "../../../identity/roles";
import { newId } from "../../../ids/ids";
import { enforce } from "../../../policy/authorize";
import { appendReceipt } from "../../../receipts/append";
import { importerOf, stateOf } from "../../registry";
import type { ImportFormat, ImportKind } from "../../types";
import { applyingImports } from "../commit/imports-repo";
import { importRequest } from "../import-request";
import { signManifest } from "../manifest/manifest";
import { openSource, type PendingSource, pendingSource, recordPendingSource } from "../sources/sources";
import { contentKeyOf, type PlanContent, planIdOf } from "./plan-id";
import { planObjectMissing, planObjectsMissing } from "./plan-missing";
import { missingPlanObjects } from "./plan-objects";
import { defaultRowsPerChunk, planWriter } from "./plan-store";
import { streamPlan } from "./plan-stream";
import { deleteUncommittedPlan, findPlan, insertPlan, readWatermark, updatePlanReceipt } from "./plans-repo";
import { rowPolicy } from "./row-policy";

export interface CreatePlanInput {
  kind: ImportKind;
  format: ImportFormat;
  source:
    | { bytes: Uint8Array; contentType: string | null }
    | { upload: string }
    /** A source this tenant already sent, by SHA-256 (re-planning). */
    | { sha256: string };
  mapping?: Record<string, string>;
  options?: Record<string, unknown>;
  onConflict?: "skip" | "overwrite";
  rowsPerChunk?: number;
}

export async function createPlan({ ctx, input }: { ctx: TenantCtx; input: CreatePlanInput }) {
  const importer = importerOf(input.kind);
  if (!importer.formats.includes(input.format)) {
    throw new AppError(
      "unsupported_media_type",
      `The ${input.kind} importer does not read ${input.format}.`,
      {
        hint: `Formats: ${importer.formats.join(", ")}.`,
      },
    );
  }
  const pending = await pendingSource(ctx, input.source);
  const content: PlanContent = {
    tenant: ctx.tenant.id,
    sourceDigest: pending.sha256,
    kind: input.kind,
    format: input.format,
    mapping: input.mapping ?? {},
    options: input.options ?? {},
    onConflict: input.onConflict ?? "skip",
    importerVersion: importer.version,
  };
  const watermark = await readWatermark(ctx.db, ctx.tenant.id, input.kind);
  const planId = planIdOf({
    ...content,
    bundleVersion: ctx.policy.bundleVersion,
    watermark,
    roles: actorRoles(ctx.actor),
  });
  const decision = await enforce({
    ctx,
    input: importRequest(ctx, planId, { dryRun: true, grantsAdmin: false }),
  });
  const existing = await findPlan(ctx.db, ctx.tenant.id, planId);
  if (existing) {
    const missing = await missingPlanObjects(ctx.store, existing);
    if (missing.length === 0) return { plan: await receiptFor(ctx, existing), created: false };
    // The store lost the plan (a lost bucket, a restored database): planned again from the
    // source under the same id, when the source is at hand and nothing committed the plan.
    if (!(await sourceAtHand(ctx, pending))) throw planObjectsMissing(existing, missing);
    if (!(await deleteUncommittedPlan(ctx.db, ctx.tenant.id, existing.id))) {
      throw planObjectMissing(existing, missing[0] ?? "manifest");
    }
  }

  const source = await recordPendingSource(ctx, pending);
  const prefix = `imports/${ctx.tenant.id}/plans/${planId}/${newId("run")}`;
  const rowsPerChunk = input.rowsPerChunk ?? defaultRowsPerChunk;
  // A CSV importer with a row mapper keeps new rows as slices of the source (source-slices.ts).
  const sliced = input.format === "csv" && importer.csv !== undefined && !stateOf(input.kind).grantsAdmin;
  const writer = planWriter(ctx.store, prefix, rowsPerChunk, { sliced });
  const applying = new Set((await applyingImports(ctx.db, ctx.tenant.id, input.kind)).map((i) => i.id));
  const bytes = pending.inline ?? (await openSource(ctx, source, { hashed: pending.hashed === true }));
  const result = await streamPlan(
    ctx,
    { ...content, bytes, size: source.size, applying, watermark },
    rowPolicy(ctx, planId, decision),
    writer,
  );
  const { files, counts, layout } = await writer.finish();
  const manifest = await signManifest(ctx.signer, {
    planId,
    kind: input.kind,
    format: input.format,
    source: { name: source.name, sha256: source.sha256 },
    counts,
    rejects: result.rejects,
    truncated: result.truncated,
  });
  const manifestKey = `${prefix}/manifest.jws`;
  await ctx.store.put(manifestKey, manifest.jws, { contentType: "application/jose" });
  const plan = await insertPlan(ctx.db, {
    id: planId,
    tenantId: ctx.tenant.id,
    kind: input.kind,
    format: input.format,
    sourceSha256: source.sha256,
    sourceName: source.name,
    mapping: content.mapping,
    options: content.options,
    onConflict: content.onConflict,
    importerVersion: importer.version,
    bundleVersion: ctx.policy.bundleVersion,
    watermark,
    role: ctx.actor.role,
    contentKey: contentKeyOf(content),
    counts,
    files,
    rowsPerChunk,
    objectPrefix: prefix,
    sourceLayout: layout,
    grantsAdmin: result.grantsAdmin,
    decisionId: decision.id,
    manifestKey,
    manifestDigest: manifest.digest,
    createdBy: `${ctx.actor.type}:${ctx.actor.id}`,
    createdAt: ctx.clock.now(),
  });
  return { plan: await receiptFor(ctx, plan), created: true };
}

/** Whether the source's bytes can be read: in the request, just stored, or still in the store. */
async function sourceAtHand(ctx: TenantCtx, pending: PendingSource): Promise<boolean> {
  return (
    pending.inline !== undefined ||
    pending.hashed === true ||
    (await ctx.store.head(pending.objectKey)) !== null
  );
}

/** The `import.planned` receipt, from the stored plan (so racing identical dry runs agree). */
async function receiptFor(ctx: TenantCtx, plan: ImportPlan): Promise<ImportPlan> {
  if (plan.receiptId) return plan;
  const { receipt } = await appendReceipt({
    ctx,
    input: {
      kind: "import.planned",
      subject: `import-plan:${plan.id}`,
      inputDigest: plan.sourceSha256,
      idempotencyKey: plan.id,
      decisionId: plan.decisionId,
      links: [plan.decisionId],
      details: {
        kind: plan.kind,
        format: plan.format,
        counts: plan.counts,
        watermark: plan.watermark,
        manifestDigest: plan.manifestDigest,
        grantsAdmin: plan.grantsAdmin,
      },
    },
  });
  return (await updatePlanReceipt(ctx.db, ctx.tenant.id, plan.id, receipt.id)) ?? plan;
}
