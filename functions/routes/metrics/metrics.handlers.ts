import type { RouteHandler } from "@hono/zod-openapi";
import { successMetrics } from "../../../shared/metrics/success";
import type { AppEnv } from "../../app-env";
import type { successRoute } from "./metrics.routes";

export const success: RouteHandler<typeof successRoute, AppEnv> = async (c) =>
  c.json(await successMetrics({ ctx: c.get("tenantCtx"), input: c.req.valid("query") }), 200);
