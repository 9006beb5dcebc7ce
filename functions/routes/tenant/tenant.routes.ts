import { createRoute, z } from "@hono/zod-openapi";
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

export const getCurrentTenantRoute = createRoute({
  method: "get",
  path: "/v1/tenant",
  operationId: "getCurrentTenant",
  summary: "The tenant and credential of this request",
  description: "Answers who you are: the tenant your credential belongs to and the role it carries.",
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
