import type { RouteHandler } from "@hono/zod-openapi";
import type { Flag, FlagVersion, RampPlan } from "../../../shared/db/schema";
import { evaluateFlags } from "../../../shared/flags/evaluation";
import type { FlagChangeResult } from "../../../shared/flags/flag-changes";
import { getFlag, listFlags, listFlagVersions, putFlag, rollbackFlag } from "../../../shared/flags/flags";
import { createRampPlan, getRampPlan } from "../../../shared/flags/ramp-plans";
import type { AppEnv } from "../../app-env";
import type {
  createRampPlanRoute,
  evaluateFlagsRoute,
  getFlagRoute,
  getRampPlanRoute,
  listFlagsRoute,
  listFlagVersionsRoute,
  putFlagRoute,
  rollbackFlagRoute,
} from "./flags.routes";

const present = (f: Flag) => ({
  key: f.key,
  version: f.version,
  digest: f.digest,
  config: f.config,
  createdAt: f.createdAt.toISOString(),
  updatedAt: f.updatedAt.toISOString(),
  updatedBy: f.updatedBy,
});

const presentChange = (r: FlagChangeResult) => ({
  ...present(r.flag),
  changed: r.changed,
  receiptId: r.receiptId,
  tenantReceiptIds: r.tenantReceiptIds,
});

const presentVersion = (v: FlagVersion) => ({ ...v, changedAt: v.changedAt.toISOString() });

export const list: RouteHandler<typeof listFlagsRoute, AppEnv> = async (c) => {
  const { items, digest } = await listFlags({ ctx: c.get("tenantCtx") });
  return c.json({ items: items.map(present), digest }, 200);
};

export const get: RouteHandler<typeof getFlagRoute, AppEnv> = async (c) => {
  const flag = await getFlag({ ctx: c.get("tenantCtx"), input: c.req.valid("param") });
  return c.json(present(flag), 200);
};

export const put: RouteHandler<typeof putFlagRoute, AppEnv> = async (c) => {
  const { expectedVersion, ...config } = c.req.valid("json");
  const result = await putFlag({
    ctx: c.get("tenantCtx"),
    input: { key: c.req.valid("param").key, config, expectedVersion },
  });
  if (result.receiptId) c.header("x-receipt-id", result.receiptId);
  return c.json(presentChange(result), result.changed && result.flag.version === 1 ? 201 : 200);
};

export const versions: RouteHandler<typeof listFlagVersionsRoute, AppEnv> = async (c) => {
  const page = await listFlagVersions({
    ctx: c.get("tenantCtx"),
    input: { ...c.req.valid("param"), ...c.req.valid("query") },
  });
  return c.json({ items: page.items.map(presentVersion), nextBefore: page.nextBefore }, 200);
};

export const rollback: RouteHandler<typeof rollbackFlagRoute, AppEnv> = async (c) => {
  const result = await rollbackFlag({
    ctx: c.get("tenantCtx"),
    input: { key: c.req.valid("param").key, version: c.req.valid("json").version },
  });
  if (result.receiptId) c.header("x-receipt-id", result.receiptId);
  return c.json(presentChange(result), 200);
};

export const evaluate: RouteHandler<typeof evaluateFlagsRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const result = await evaluateFlags({ ctx: c.get("tenantCtx"), input: body });
  return c.json({ flags: result.flags, setDigest: result.setDigest, context: result.context }, 200);
};

const presentPlan = (p: RampPlan) => ({
  ...p,
  stepStartedAt: p.stepStartedAt.toISOString(),
  createdAt: p.createdAt.toISOString(),
});

export const startRamp: RouteHandler<typeof createRampPlanRoute, AppEnv> = async (c) => {
  const { plan, receiptId } = await createRampPlan({
    ctx: c.get("tenantCtx"),
    input: { key: c.req.valid("param").key, ...c.req.valid("json") },
  });
  if (receiptId) c.header("x-receipt-id", receiptId);
  return c.json(presentPlan(plan), 201);
};

export const rampPlan: RouteHandler<typeof getRampPlanRoute, AppEnv> = async (c) => {
  const plan = await getRampPlan({ ctx: c.get("tenantCtx"), input: c.req.valid("param") });
  return c.json(presentPlan(plan), 200);
};
