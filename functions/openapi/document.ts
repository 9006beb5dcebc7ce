import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";

export const apiVersion = "1.0.0";

export function registerSecuritySchemes(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "A tenant API key (`sb_live_…`), sent as `Authorization: Bearer <key>`.",
  });
}

export function openApiDocument(app: OpenAPIHono<AppEnv>) {
  return app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Switchboard Pilot Plane API",
      version: apiVersion,
      description:
        "Takes a partner from first login to a measured, governed pilot. Errors are RFC 9457 problems (`application/problem+json`) with a stable `code` and the request id. Send `traceparent` to join your trace; every response carries `x-request-id`.",
    },
    tags: [
      { name: "System", description: "Health, readiness, signing keys and deployment self-tests." },
      { name: "Tenants", description: "Tenants and their credentials." },
    ],
  });
}
