import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../middleware/auth";
import { PageQuery, pageOf } from "../../openapi/common-schemas";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";

export const StaffTenantSchema = z
  .object({
    id: z.string(),
    slug: z.string().openapi({ description: "Send as `x-switchboard-tenant` to read this tenant." }),
    name: z.string(),
    status: z.enum(["active", "suspended"]),
    createdAt: z.string().datetime(),
  })
  .openapi("StaffTenant");

export const listTenantsRoute = createRoute({
  method: "get",
  path: "/v1/tenants",
  operationId: "listTenants",
  summary: "List all tenants (Switchboard staff)",
  description:
    "pilot-ops only. Oldest first. To read a tenant's resources, send its slug in `x-switchboard-tenant` on any GET; pilot-ops credentials are refused every unsafe method.",
  tags: ["Tenants"],
  security: bearerAuth,
  middleware: [requireRole("pilot-ops")] as const,
  request: { query: PageQuery },
  responses: {
    200: {
      description: "A page of tenants",
      content: { "application/json": { schema: pageOf(StaffTenantSchema, "StaffTenantPage") } },
    },
    ...errorResponses(403),
  },
});
