import type { RouteHandler } from "@hono/zod-openapi";
import type { PolicyException } from "../../../shared/db/schema";
import {
  listPolicyExceptions,
  recordPolicyException,
  revokePolicyException,
} from "../../../shared/policy/exceptions";
import type { AppEnv } from "../../app-env";
import type {
  createPolicyExceptionRoute,
  listPolicyExceptionsRoute,
  revokePolicyExceptionRoute,
} from "./policy-exceptions.routes";

const statusAt = (e: PolicyException, now: Date): "active" | "expired" | "revoked" => {
  if (e.revokedAt) return "revoked";
  return e.expiresAt <= now ? "expired" : "active";
};

const present = (e: PolicyException, now: Date) => ({
  id: e.id,
  principal: e.principal,
  action: e.action,
  resource: e.resource,
  rationale: e.rationale,
  createdBy: e.createdBy,
  receiptId: e.receiptId,
  status: statusAt(e, now),
  createdAt: e.createdAt.toISOString(),
  expiresAt: e.expiresAt.toISOString(),
  revokedAt: e.revokedAt?.toISOString() ?? null,
});

export const create: RouteHandler<typeof createPolicyExceptionRoute, AppEnv> = async (c) => {
  const ctx = c.get("tenantCtx");
  const body = c.req.valid("json");
  const exception = await recordPolicyException({
    ctx,
    input: { ...body, expiresAt: new Date(body.expiresAt) },
  });
  c.header("location", `/v1/policy-exceptions/${exception.id}`);
  if (exception.receiptId) c.header("x-receipt-id", exception.receiptId);
  return c.json(present(exception, ctx.clock.now()), 201);
};

export const list: RouteHandler<typeof listPolicyExceptionsRoute, AppEnv> = async (c) => {
  const ctx = c.get("tenantCtx");
  const page = await listPolicyExceptions({ ctx, input: c.req.valid("query") });
  const now = ctx.clock.now();
  return c.json({ items: page.items.map((e) => present(e, now)), nextCursor: page.nextCursor }, 200);
};

export const revoke: RouteHandler<typeof revokePolicyExceptionRoute, AppEnv> = async (c) => {
  const ctx = c.get("tenantCtx");
  const { exception, receiptId } = await revokePolicyException({ ctx, id: c.req.valid("param").id });
  if (receiptId) c.header("x-receipt-id", receiptId);
  return c.json({ ...present(exception, ctx.clock.now()), revocationReceiptId: receiptId }, 200);
};
