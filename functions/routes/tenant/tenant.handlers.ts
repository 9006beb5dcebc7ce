import type { RouteHandler } from "@hono/zod-openapi";
import type { Actor } from "../../../shared/context/context";
import { actorRoles } from "../../../shared/identity/roles";
import { renameTenant } from "../../../shared/tenants/tenant-profile";
import type { AppEnv } from "../../app-env";
import type { getCurrentTenantRoute, updateCurrentTenantRoute } from "./tenant.routes";

const credentialOf = (actor: Actor) => ({ ...actor, roles: [...actorRoles(actor)] });

export const getCurrentTenant: RouteHandler<typeof getCurrentTenantRoute, AppEnv> = (c) => {
  const { tenant, actor } = c.get("tenantCtx");
  return c.json({ tenant, credential: credentialOf(actor) }, 200);
};

export const updateCurrentTenant: RouteHandler<typeof updateCurrentTenantRoute, AppEnv> = async (c) => {
  const ctx = c.get("tenantCtx");
  const { tenant, receiptId } = await renameTenant({ ctx, input: c.req.valid("json") });
  c.header("x-receipt-id", receiptId);
  return c.json({ tenant, credential: credentialOf(ctx.actor), receiptId }, 200);
};
