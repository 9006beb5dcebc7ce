import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import type { getCurrentTenantRoute } from "./tenant.routes";

export const getCurrentTenant: RouteHandler<typeof getCurrentTenantRoute, AppEnv> = (c) => {
  const { tenant, actor } = c.get("tenantCtx");
  return c.json({ tenant, credential: actor }, 200);
};
