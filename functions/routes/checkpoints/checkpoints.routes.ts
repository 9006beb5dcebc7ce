import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../middleware/auth";
import { PageQuery, pageOf } from "../../openapi/common-schemas";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";
import { CheckpointSchema } from "../receipts/receipts.schemas";

const checkpoints = { security: bearerAuth, tags: ["Receipts"] };

export const ConsistencyQuery = z.object({
  from: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ description: "Tree size of the older checkpoint.", example: 120 }),
  to: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ description: "Tree size of the newer checkpoint.", example: 480 }),
});

export const ConsistencyProofSchema = z
  .object({
    from: CheckpointSchema,
    to: CheckpointSchema,
    proof: z
      .array(z.string())
      .openapi({ description: "RFC 6962 consistency proof (hex): `from` is a prefix of `to`." }),
  })
  .openapi("ConsistencyProof");

export const listCheckpointsRoute = createRoute({
  ...checkpoints,
  method: "get",
  path: "/v1/checkpoints",
  operationId: "listCheckpoints",
  summary: "List signed checkpoints",
  description:
    "Largest tree first. A checkpoint is issued by the scheduled task when the log grew, on demand, and on evidence export.",
  request: { query: PageQuery },
  responses: {
    200: {
      description: "A page of checkpoints",
      content: { "application/json": { schema: pageOf(CheckpointSchema, "CheckpointPage") } },
    },
    ...errorResponses(403),
  },
});

export const latestCheckpointRoute = createRoute({
  ...checkpoints,
  method: "get",
  path: "/v1/checkpoints/latest",
  operationId: "getLatestCheckpoint",
  summary: "Read the latest checkpoint",
  responses: {
    200: {
      description: "The latest checkpoint",
      content: { "application/json": { schema: CheckpointSchema } },
    },
    ...errorResponses(403, 404),
  },
});

export const issueCheckpointRoute = createRoute({
  ...checkpoints,
  method: "post",
  path: "/v1/checkpoints",
  operationId: "issueCheckpoint",
  summary: "Sign a checkpoint of the log now",
  description:
    "Signs the current tree head. Idempotent per tree size: 201 when issued, 200 when that size was already signed; 409 while the log is empty.",
  middleware: [requireRole("admin")] as const,
  responses: {
    201: { description: "Issued", content: { "application/json": { schema: CheckpointSchema } } },
    200: {
      description: "This tree size was already signed",
      content: { "application/json": { schema: CheckpointSchema } },
    },
    ...errorResponses(403, 409),
  },
});

export const checkpointConsistencyRoute = createRoute({
  ...checkpoints,
  method: "get",
  path: "/v1/checkpoints/consistency",
  operationId: "getCheckpointConsistency",
  summary: "Prove one checkpoint extends another",
  description:
    "An RFC 6962 consistency proof between two signed checkpoints of this tenant: the log was only appended to in between.",
  request: { query: ConsistencyQuery },
  responses: {
    200: {
      description: "Both checkpoints and the proof",
      content: { "application/json": { schema: ConsistencyProofSchema } },
    },
    ...errorResponses(403, 404),
  },
});
