import { createRoute, z } from "@hono/zod-openapi";
import { roles } from "../../../shared/db/schema";
import { requireRole } from "../../middleware/auth";
import { requireContentType } from "../../middleware/content-type";
import { IdParams, PageQuery, pageOf } from "../../openapi/common-schemas";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({
      description: "The first characters of the secret, to recognise it.",
      example: "sb_live_x7Qa",
    }),
    role: z.enum(roles),
    createdAt: z.string().datetime(),
    lastUsedAt: z.string().datetime().nullable(),
    revokedAt: z.string().datetime().nullable(),
  })
  .openapi("ApiKey");

export const CreatedApiKeySchema = ApiKeySchema.extend({
  secret: z.string().openapi({ description: "The key itself. Shown once; only its hash is stored." }),
}).openapi("CreatedApiKey");

export const CreateApiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: "ci pipeline" }),
    role: z.enum(["admin", "operator", "approver", "auditor", "viewer"]).openapi({ example: "operator" }),
  })
  .strict()
  .openapi("CreateApiKey");

const admin = { security: bearerAuth, tags: ["Tenants"] };

export const createApiKeyRoute = createRoute({
  ...admin,
  method: "post",
  path: "/v1/api-keys",
  operationId: "createApiKey",
  summary: "Issue an API key",
  description: "Issues a key for this tenant with one role. The `secret` is in this response only.",
  middleware: [requireRole("admin"), requireContentType("application/json")] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateApiKeyBody } } } },
  responses: {
    201: { description: "Issued", content: { "application/json": { schema: CreatedApiKeySchema } } },
    ...errorResponses(403, 413, 415),
  },
});

export const listApiKeysRoute = createRoute({
  ...admin,
  method: "get",
  path: "/v1/api-keys",
  operationId: "listApiKeys",
  summary: "List API keys",
  description: "Newest first. Secrets are never returned, only their prefix.",
  middleware: [requireRole("admin")] as const,
  request: { query: PageQuery },
  responses: {
    200: {
      description: "A page of keys",
      content: { "application/json": { schema: pageOf(ApiKeySchema, "ApiKeyPage") } },
    },
    ...errorResponses(403),
  },
});

export const revokeApiKeyRoute = createRoute({
  ...admin,
  method: "delete",
  path: "/v1/api-keys/{id}",
  operationId: "revokeApiKey",
  summary: "Revoke an API key",
  description: "The key stops working at once. Revoking a revoked key changes nothing.",
  middleware: [requireRole("admin")] as const,
  request: { params: IdParams },
  responses: {
    200: { description: "Revoked", content: { "application/json": { schema: ApiKeySchema } } },
    ...errorResponses(403, 404),
  },
});
