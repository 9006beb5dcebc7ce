import type { RouteHandler } from "@hono/zod-openapi";
import { requestHost } from "../../../shared/identity/hosts";
import { brandingForHost } from "../../../shared/tenants/domains";
import type { AppEnv } from "../../app-env";
import type { getBrandingRoute } from "./branding.routes";

export const getBranding: RouteHandler<typeof getBrandingRoute, AppEnv> = async (c) => {
  const branding = await brandingForHost({ ctx: c.get("ctx"), host: requestHost(c.req.url) });
  c.header("cache-control", "public, max-age=300");
  c.header("vary", "host");
  return c.json(branding, 200);
};
