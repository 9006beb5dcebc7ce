import type { RouteHandler } from "@hono/zod-openapi";
import { listTenantsForStaff } from "../../../shared/tenants/tenant-admin";
import type { AppEnv } from "../../app-env";
import type { listTenantsRoute } from "./tenants.routes";

export const listTenants: RouteHandler<typeof listTenantsRoute, AppEnv> = async (c) => {
  const page = await listTenantsForStaff({ ctx: c.get("tenantCtx"), input: c.req.valid("query") });
  const items = page.items.map((t) => ({
    id: t.id,
    slug: t.slug,
    name: t.name,
    status: t.status,
    createdAt: t.createdAt.toISOString(),
  }));
  return c.json({ items, nextCursor: page.nextCursor }, 200);
};
