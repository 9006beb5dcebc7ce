/**
 * The tenant's command executor (Cedar `configure`, admins). HTTPS to a public address only;
 * loopback (and plain http to it) only where OUTBOUND_ALLOW_LOOPBACK is set, for development
 * and tests. Every delivery goes through the outbound client, which checks the resolved address.
 */
import type { Ctx, TenantCtx } from "../../context/context";
import type { Executor } from "../../db/schema";
import { AppError } from "../../errors/app-error";
import { newId } from "../../ids/ids";
import { outboundUrlProblem } from "../../platform/outbound";
import { gated } from "../events/gated";
import { deleteExecutor, findExecutor, upsertExecutor } from "./executors-repo";

/** Why a URL may not receive commands, or null when it may (its name is checked again, resolved, at each call). */
export const executorUrlProblem = (ctx: Pick<Ctx, "outbound">, raw: string): string | null =>
  outboundUrlProblem(raw, { allowLoopback: ctx.outbound.allowLoopback });

export const executorView = (e: Executor) => ({
  url: e.url,
  timeoutMs: e.timeoutMs,
  maxAttempts: e.maxAttempts,
  backoffSeconds: e.backoffSeconds,
  updatedAt: e.updatedAt.toISOString(),
});

const tenantResource = (ctx: TenantCtx) => ({
  type: "Tenant" as const,
  id: ctx.tenant.id,
  tenantId: ctx.tenant.id,
});

export async function configureExecutor({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { url: string; timeoutMs: number; maxAttempts: number; backoffSeconds: number };
}) {
  const problem = executorUrlProblem(ctx, input.url);
  if (problem) {
    throw new AppError("validation_failed", `The executor URL is not accepted: ${problem}.`, {
      errors: [{ pointer: "/url", in: "body", code: "invalid_executor_url", message: problem }],
    });
  }
  const done = await gated(ctx, { action: "configure", resource: tenantResource(ctx) }, async (tx) => {
    const now = ctx.clock.now();
    const row = await upsertExecutor(tx.db, {
      id: newId("exe"),
      tenantId: ctx.tenant.id,
      ...input,
      updatedAt: now,
    });
    const facts = { ...input };
    return {
      result: row,
      actions: [{ kind: "executor.configured", subject: `tenant:${ctx.tenant.id}`, facts }],
    };
  });
  return { ...executorView(done.result), receiptId: done.receiptId };
}

export async function getExecutor({ ctx }: { ctx: TenantCtx }) {
  const row = await findExecutor(ctx.db, ctx.tenant.id);
  if (!row)
    throw new AppError("not_found", "No executor is configured: commands wait for a recorded outcome.");
  return executorView(row);
}

export async function removeExecutor({ ctx }: { ctx: TenantCtx }) {
  await getExecutor({ ctx });
  const done = await gated(ctx, { action: "configure", resource: tenantResource(ctx) }, async (tx) => {
    await deleteExecutor(tx.db, ctx.tenant.id);
    const facts = { removedAt: ctx.clock.now().toISOString() };
    return {
      result: null,
      actions: [{ kind: "executor.removed", subject: `tenant:${ctx.tenant.id}`, facts }],
    };
  });
  return { receiptId: done.receiptId };
}
