import { createRoute, z } from "@hono/zod-openapi";
import { PageQuery, pageOf } from "../../openapi/common-schemas";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";
import { ReceiptSchema } from "../receipts/receipts.schemas";

export const TimelineQuery = PageQuery.extend({
  kind: z.string().max(200).optional().openapi({ example: "policy.denied" }),
  actor: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: "`type:id`", example: "api_key:key_8k2m4q0v7c1x3n5b9d6f" }),
  subject: z.string().max(500).optional().openapi({ example: "import:imp_8k2m4q0v7c1x3n5b9d6f" }),
  from: z
    .string()
    .datetime({ offset: true })
    .optional()
    .openapi({ description: "Inclusive lower bound on `occurredAt`." }),
  to: z
    .string()
    .datetime({ offset: true })
    .optional()
    .openapi({ description: "Exclusive upper bound on `occurredAt`." }),
});

export const listTimelineRoute = createRoute({
  method: "get",
  path: "/v1/timeline",
  operationId: "listTimeline",
  summary: "List receipts, newest first",
  description:
    "Every receipt of the tenant, filtered by kind, actor, subject and time, newest first with cursor pagination.",
  tags: ["Receipts"],
  security: bearerAuth,
  request: { query: TimelineQuery },
  responses: {
    200: {
      description: "A page of receipts",
      content: { "application/json": { schema: pageOf(ReceiptSchema, "ReceiptPage") } },
    },
    ...errorResponses(403),
  },
});
