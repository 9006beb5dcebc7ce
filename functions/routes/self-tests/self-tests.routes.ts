import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../middleware/auth";
import { IdParams } from "../../openapi/common-schemas";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";

export const SelfTestSchema = z
  .object({
    id: z.string().openapi({ example: "st_8k2m4q0v7c1x3n5b9d6f" }),
    status: z.enum(["queued", "passed"]),
    requestedBy: z.string(),
    consumerRuntime: z.string().nullable(),
    createdAt: z.string().datetime(),
    completedAt: z.string().datetime().nullable(),
  })
  .openapi("SelfTest");

export const createSelfTestRoute = createRoute({
  method: "post",
  path: "/v1/self-tests",
  operationId: "createSelfTest",
  summary: "Start a deployment self-test",
  description:
    "Writes a row, sends a queue message and lets the queue consumer complete it: a round trip through the database, the queue and the consumer of this deployment. Poll the returned resource until `status` is `passed`.",
  tags: ["System"],
  security: bearerAuth,
  middleware: [requireRole("admin")] as const,
  responses: {
    202: { description: "Queued", content: { "application/json": { schema: SelfTestSchema } } },
    ...errorResponses(403),
  },
});

export const getSelfTestRoute = createRoute({
  method: "get",
  path: "/v1/self-tests/{id}",
  operationId: "getSelfTest",
  summary: "Read a self-test",
  tags: ["System"],
  security: bearerAuth,
  request: { params: IdParams },
  responses: {
    200: { description: "The self-test", content: { "application/json": { schema: SelfTestSchema } } },
    ...errorResponses(404),
  },
});
