import type { RouteHandler } from "@hono/zod-openapi";
import { actorRoles } from "../../../shared/identity/roles";
import type { AppEnv } from "../../app-env";
import type { getCurrentTenantRoute } from "./tenant.routes";

export const getCurrentTenant: RouteHandler<typeof getCurrentTenantRoute, AppEnv> = (c) => {
  const { tenant, actor } = c.get("tenantCtx");
  return c.json({ tenant, credential: { ...actor, roles: [...actorRoles(actor)] } }, 200);
};
