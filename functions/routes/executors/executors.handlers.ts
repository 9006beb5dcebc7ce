import type { RouteHandler } from "@hono/zod-openapi";
import { configureExecutor, getExecutor, removeExecutor } from "../../../shared/ops/executors/executors";
import type { AppEnv } from "../../app-env";
import type { deleteExecutorRoute, getExecutorRoute, putExecutorRoute } from "./executors.routes";

export const put: RouteHandler<typeof putExecutorRoute, AppEnv> = async (c) => {
  const saved = await configureExecutor({ ctx: c.get("tenantCtx"), input: c.req.valid("json") });
  c.header("x-receipt-id", saved.receiptId);
  return c.json(saved, 200);
};

export const get: RouteHandler<typeof getExecutorRoute, AppEnv> = async (c) =>
  c.json(await getExecutor({ ctx: c.get("tenantCtx") }), 200);

export const remove: RouteHandler<typeof deleteExecutorRoute, AppEnv> = async (c) => {
  const { receiptId } = await removeExecutor({ ctx: c.get("tenantCtx") });
  c.header("x-receipt-id", receiptId);
  return c.body(null, 204);
};
