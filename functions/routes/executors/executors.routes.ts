import { createRoute, z } from "@hono/zod-openapi";
import { requireContentType } from "../../middleware/content-type";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";

export const ExecutorBody = z
  .object({
    url: z.url().max(2048).openapi({
      description:
        "Receives each command as a POST of a compact JWS (`application/jose`, EdDSA, verify with `/.well-known/jwks.json`). https to a public address: loopback, private, link-local (metadata), CGNAT and unique-local hosts are refused, here and at every request (loopback only on a development server with OUTBOUND_ALLOW_LOOPBACK).",
      example: "https://ops.partner.example/switchboard/commands",
    }),
    timeoutMs: z.number().int().min(100).max(30_000).default(10_000),
    maxAttempts: z.number().int().min(1).max(10).default(5),
    backoffSeconds: z.number().int().min(0).max(300).default(2).openapi({
      description: "Attempt n+1 waits `backoffSeconds * 2^(n-1)` after a 5xx, 408, 429 or timeout.",
    }),
  })
  .strict()
  .openapi("ExecutorInput");

export const ExecutorSchema = z
  .object({
    url: z.string(),
    timeoutMs: z.number().int(),
    maxAttempts: z.number().int(),
    backoffSeconds: z.number().int(),
    updatedAt: z.string(),
  })
  .openapi("Executor");

const base = { security: bearerAuth, tags: ["Ops"] };

export const putExecutorRoute = createRoute({
  ...base,
  method: "put",
  path: "/v1/executor",
  operationId: "configureExecutor",
  summary: "Configure the tenant's command executor",
  description: "Cedar `configure` (admins). Leaves an `executor.configured` receipt.",
  middleware: [requireContentType("application/json")] as const,
  request: { body: { required: true, content: { "application/json": { schema: ExecutorBody } } } },
  responses: {
    200: {
      description: "Configured",
      content: { "application/json": { schema: ExecutorSchema.extend({ receiptId: z.string() }) } },
    },
    ...errorResponses(403, 413, 415),
  },
});

export const getExecutorRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/executor",
  operationId: "getExecutor",
  summary: "Read the executor settings",
  responses: {
    200: { description: "The settings", content: { "application/json": { schema: ExecutorSchema } } },
    ...errorResponses(403, 404),
  },
});

export const deleteExecutorRoute = createRoute({
  ...base,
  method: "delete",
  path: "/v1/executor",
  operationId: "removeExecutor",
  summary: "Remove the executor: commands then wait for a recorded outcome",
  responses: { 204: { description: "Removed" }, ...errorResponses(403, 404) },
});
