/**
 * Self-tests let a platform engineer prove a deployment end to end: the request
 * writes to Postgres, a queue message is consumed, and the consumer writes back.
 */
import type { Ctx, TenantCtx } from "../context/context";
import type { SelfTest } from "../db/schema";
import { AppError } from "../errors/app-error";
import { newId } from "../ids/ids";
import { enforce } from "../policy/authorize";
import { findSelfTest, insertSelfTest, markSelfTestPassed } from "./self-test-repo";

export async function startSelfTest({ ctx }: { ctx: TenantCtx }): Promise<SelfTest> {
  await enforce({
    ctx,
    input: { action: "configure", resource: { type: "Tenant", id: ctx.tenant.id, tenantId: ctx.tenant.id } },
  });
  const selfTest = await insertSelfTest(ctx.db, {
    id: newId("st"),
    tenantId: ctx.tenant.id,
    requestedBy: ctx.actor.id,
    createdAt: ctx.clock.now(),
  });
  await ctx.queue.send({ v: 1, type: "self-test.run", tenantId: ctx.tenant.id, selfTestId: selfTest.id });
  return selfTest;
}

export async function getSelfTest({ ctx, id }: { ctx: TenantCtx; id: string }): Promise<SelfTest> {
  const found = await findSelfTest(ctx.db, ctx.tenant.id, id);
  if (!found) throw new AppError("not_found", `No self-test ${id} in this tenant.`);
  return found;
}

/** The queue consumer's half: idempotent, so a redelivered message is harmless. */
export async function completeSelfTest({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { tenantId: string; selfTestId: string };
}): Promise<void> {
  const changed = await markSelfTestPassed(ctx.db, input.tenantId, input.selfTestId, {
    completedAt: ctx.clock.now(),
    consumerRuntime: ctx.runtime,
  });
  if (!changed) ctx.logger.info("self-test already complete or unknown", input);
}
