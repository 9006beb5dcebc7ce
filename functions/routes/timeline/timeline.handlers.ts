import type { RouteHandler } from "@hono/zod-openapi";
import { listTimeline } from "../../../shared/receipts/timeline";
import type { AppEnv } from "../../app-env";
import type { listTimelineRoute } from "./timeline.routes";

const date = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

export const getTimeline: RouteHandler<typeof listTimelineRoute, AppEnv> = async (c) => {
  const { from, to, ...query } = c.req.valid("query");
  const page = await listTimeline({
    ctx: c.get("tenantCtx"),
    input: { ...query, from: date(from), to: date(to) },
  });
  return c.json(page, 200);
};
