import type { RouteHandler } from "@hono/zod-openapi";
import { getChecklist } from "../../../shared/setup/checklist";
import { markSetupStep, undoSetupMark } from "../../../shared/setup/marks";
import type { AppEnv } from "../../app-env";
import type { getChecklistRoute, markStepRoute, undoMarkRoute } from "./setup.routes";

export const checklist: RouteHandler<typeof getChecklistRoute, AppEnv> = async (c) =>
  c.json(await getChecklist({ ctx: c.get("tenantCtx") }), 200);

export const mark: RouteHandler<typeof markStepRoute, AppEnv> = async (c) => {
  const marked = await markSetupStep({ ctx: c.get("tenantCtx"), input: c.req.valid("json") });
  c.header("x-receipt-id", marked.receiptId);
  return c.json(marked, 201);
};

export const undo: RouteHandler<typeof undoMarkRoute, AppEnv> = async (c) => {
  const undone = await undoSetupMark({ ctx: c.get("tenantCtx"), input: c.req.valid("json") });
  c.header("x-receipt-id", undone.receiptId);
  return c.json({ ...undone, state: "pending" as const }, 200);
};
