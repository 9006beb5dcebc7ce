import { OpenAPIHono } from "@hono/zod-openapi";
import { mountRoutes } from "../api";
import type { AppEnv } from "../app-env";
import { openApiDocument } from "./document";

/** The OpenAPI document from the route contracts alone (no platform needed): what `npm run openapi` writes. */
export function buildOpenApiDocument() {
  const app = new OpenAPIHono<AppEnv>();
  mountRoutes(app);
  return openApiDocument(app);
}
