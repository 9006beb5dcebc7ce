import type { RouteHandler } from "@hono/zod-openapi";
import { cancelRun } from "../../../shared/ops/runbook-runs/cancel";
import { completeStep, getRun, listRuns } from "../../../shared/ops/runbook-runs/runs";
import type { AppEnv } from "../../app-env";
import type { cancelRunRoute, completeStepRoute, getRunRoute, listRunsRoute } from "./runbook-runs.routes";

export const list: RouteHandler<typeof listRunsRoute, AppEnv> = async (c) =>
  c.json(await listRuns({ ctx: c.get("tenantCtx"), input: c.req.valid("query") }), 200);

export const get: RouteHandler<typeof getRunRoute, AppEnv> = async (c) =>
  c.json(await getRun({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id }), 200);

export const complete: RouteHandler<typeof completeStepRoute, AppEnv> = async (c) => {
  const { id, step } = c.req.valid("param");
  const done = await completeStep({ ctx: c.get("tenantCtx"), id, stepKey: step, input: c.req.valid("json") });
  return c.json({ ...done.run, receiptId: done.receiptId, decisionId: done.decisionId }, 200);
};

export const cancel: RouteHandler<typeof cancelRunRoute, AppEnv> = async (c) => {
  const done = await cancelRun({
    ctx: c.get("tenantCtx"),
    id: c.req.valid("param").id,
    input: c.req.valid("json"),
  });
  return c.json({ ...done.run, receiptId: done.receiptId, decisionId: done.decisionId }, 200);
};
