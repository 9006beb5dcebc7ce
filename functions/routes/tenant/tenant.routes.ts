import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../middleware/auth";
import { requireContentType } from "../../middleware/content-type";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";

export const CurrentTenantSchema = z
  .object({
    tenant: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    credential: z.object({
      type: z.enum(["api_key", "operator", "system"]),
      id: z.string(),
      role: z.string().openapi({ description: "The most privileged role the credential holds." }),
      roles: z.array(z.string()).openapi({
        description:
          "Every role it holds; policy allows what any of them allows. An API key holds one; an operator may hold several.",
        example: ["approver", "operator"],
      }),
    }),
  })
  .openapi("CurrentTenant");

export const UpdateTenantBody = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .openapi({ description: "The tenant's display name.", example: "Northwind Traders" }),
  })
  .strict()
  .openapi("UpdateTenant");

export const UpdatedTenantSchema = CurrentTenantSchema.extend({
  receiptId: z.string().openapi({ description: "The `tenant.renamed` receipt of this change." }),
}).openapi("UpdatedTenant");

export const getCurrentTenantRoute = createRoute({
  method: "get",
  path: "/v1/tenant",
  operationId: "getCurrentTenant",
  summary: "The tenant and credential of this request",
  description: "Answers who you are: the tenant your credential belongs to and the roles it carries.",
  tags: ["Tenants"],
  security: bearerAuth,
  responses: {
    200: {
      description: "The current tenant",
      content: { "application/json": { schema: CurrentTenantSchema } },
    },
    ...errorResponses(),
  },
});

export const updateCurrentTenantRoute = createRoute({
  method: "patch",
  path: "/v1/tenant",
  operationId: "updateCurrentTenant",
  summary: "Change the tenant's display name",
  description:
    "Admins only (Cedar `configure` on the tenant). Leaves a `tenant.renamed` receipt, also sent as `x-receipt-id`. The slug never changes.",
  tags: ["Tenants"],
  security: bearerAuth,
  middleware: [requireRole("admin"), requireContentType("application/json")] as const,
  request: {
    body: { required: true, content: { "application/json": { schema: UpdateTenantBody } } },
  },
  responses: {
    200: { description: "Renamed", content: { "application/json": { schema: UpdatedTenantSchema } } },
    ...errorResponses(403, 413, 415),
  },
});
