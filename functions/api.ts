import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env";
import { registerSecuritySchemes } from "./openapi/document";
import { publicRouters, tenantRouters } from "./routes";

/** Mounts every router on `app`; the same set is what the OpenAPI document describes. */
export function mountRoutes(app: OpenAPIHono<AppEnv>): void {
  registerSecuritySchemes(app);
  for (const router of [...publicRouters, ...tenantRouters]) app.route("/", router);
}
