import { createRoute, z } from "@hono/zod-openapi";
import { requireContentType } from "../../middleware/content-type";
import { IdParams, PageQuery, pageOf } from "../../openapi/common-schemas";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";
import { DecisionSchema } from "../decisions/decisions.routes";
import { ReceiptSchema } from "../receipts/receipts.schemas";

const kind = z.enum(["friction", "bug", "idea"]).openapi({ example: "friction" });
const label = (example: string, description: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[\x20-\x7e]+$/, { message: "Printable ASCII only." })
    .openapi({ example, description });

export const SubmitFeedbackBody = z
  .object({
    kind,
    message: z
      .string()
      .trim()
      .min(1)
      .max(4000)
      .openapi({ example: "I can't approve my own restart, who can?" }),
    screen: label("approvals/detail", "The screen (page or view) it was sent from."),
    actionId: label("approve", "The UI action the sender was taking."),
    decisionId: z.string().min(1).max(64).optional().openapi({
      description: "A policy decision of this tenant, e.g. the `decisionId` of a 403.",
      example: "dec_8k2m4q0v7c1x3n5b9d6f",
    }),
    receiptId: z.string().min(1).max(80).optional().openapi({
      description: "A receipt of this tenant, e.g. the `receiptId` of a 403; its decision is linked too.",
      example: "rcpt_3b0c6f5e2a9d8c7b6a5f4e3d2c1b0a998877665544332211ffeeddccbbaa9988",
    }),
  })
  .strict()
  .openapi("SubmitFeedback");

export const FeedbackSchema = z
  .object({
    id: z.string().openapi({ example: "fb_8k2m4q0v7c1x3n5b9d6f" }),
    kind,
    message: z.string(),
    screen: z.string(),
    actionId: z.string(),
    actionKind: z
      .string()
      .nullable()
      .openapi({ description: "The linked receipt's kind.", example: "policy.denied" }),
    decisionId: z.string().nullable(),
    receiptId: z.string().nullable(),
    canonicalId: z.string().nullable().openapi({
      description:
        "What links this report to logs and metrics: the receipt id, else the sending request's id.",
    }),
    actor: z.string().openapi({ example: "api_key:key_8k2m4q0v7c1x3n5b9d6f" }),
    requestId: z.string().nullable(),
    submittedReceiptId: z.string().openapi({ description: "The `feedback.submitted` receipt." }),
    createdAt: z.string().datetime(),
  })
  .openapi("Feedback");

export const LinkedFeedbackSchema = FeedbackSchema.extend({
  linked: z.object({
    receipt: ReceiptSchema.nullable(),
    decision: DecisionSchema.nullable().openapi({
      description: "The policy decision: its determining policies and, on a deny, the remediation.",
    }),
    timeline: z
      .object({
        actor: z.string(),
        from: z.string().datetime(),
        to: z.string().datetime(),
        items: z.array(ReceiptSchema),
      })
      .openapi({
        description:
          "The acting operator's receipts around the action: up to 10 at or before it and 10 after, within 15 minutes either side.",
      }),
  }),
}).openapi("LinkedFeedback");

export const FeedbackQuery = PageQuery.extend({
  kind: kind.optional(),
  screen: z.string().max(200).optional(),
  actionId: z.string().max(200).optional(),
  actionKind: z.string().max(200).optional().openapi({ example: "policy.denied" }),
  decisionId: z.string().max(64).optional(),
  actor: z.string().max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional().openapi({ description: "Inclusive." }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: "Exclusive." }),
});

export const FrictionQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional().openapi({ description: "Inclusive." }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: "Exclusive." }),
});

export const FrictionSchema = z
  .object({
    total: z.number().int(),
    byScreen: z.array(z.object({ screen: z.string(), count: z.number().int() })),
    byActionKind: z.array(z.object({ actionKind: z.string(), count: z.number().int() })),
    byDecision: z.array(
      z.object({
        decisionId: z.string(),
        action: z.string().nullable(),
        decision: z.string().nullable(),
        determiningPolicies: z.array(z.string()),
        count: z.number().int(),
      }),
    ),
    byPolicy: z.array(z.object({ policy: z.string(), count: z.number().int() })).openapi({
      description: "Friction counted per determining policy of the linked decisions.",
    }),
  })
  .openapi("FrictionCounts");

const base = { security: bearerAuth, tags: ["Feedback"] };

export const submitFeedbackRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/feedback",
  operationId: "submitFeedback",
  summary: "Send feedback, linked to what happened",
  description:
    "Any role (Cedar `sendFeedback`). From a 403, pass its `receiptId` (and `decisionId`): the answer returns the receipt, the decision with its determining policies and remediation, and the timeline segment around the action. A receipt or decision id of another tenant answers 404. Leaves a `feedback.submitted` receipt.",
  middleware: [requireContentType("application/json")] as const,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: SubmitFeedbackBody,
          example: {
            kind: "friction",
            message: "I can't approve my own restart, who can?",
            screen: "approvals/detail",
            actionId: "approve",
            receiptId: "rcpt_3b0c6f5e2a9d8c7b6a5f4e3d2c1b0a998877665544332211ffeeddccbbaa9988",
            decisionId: "dec_8k2m4q0v7c1x3n5b9d6f",
          },
        },
      },
    },
  },
  responses: {
    201: { description: "Received", content: { "application/json": { schema: LinkedFeedbackSchema } } },
    ...errorResponses(403, 404, 413, 415),
  },
});

export const listFeedbackRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/feedback",
  operationId: "listFeedback",
  summary: "List feedback",
  description:
    "Newest first, filtered by kind, screen, action, linked action kind, decision, sender or time; cursor pages.",
  request: { query: FeedbackQuery },
  responses: {
    200: {
      description: "A page",
      content: { "application/json": { schema: pageOf(FeedbackSchema, "FeedbackPage") } },
    },
    ...errorResponses(),
  },
});

export const frictionRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/feedback/friction",
  operationId: "getFrictionCounts",
  summary: "Friction reports counted per screen, action kind and policy decision",
  request: { query: FrictionQuery },
  responses: {
    200: {
      description: "Counts, most first",
      content: {
        "application/json": {
          schema: FrictionSchema,
          example: {
            total: 3,
            byScreen: [
              { screen: "approvals/detail", count: 2 },
              { screen: "imports/plan", count: 1 },
            ],
            byActionKind: [{ actionKind: "policy.denied", count: 2 }],
            byDecision: [
              {
                decisionId: "dec_8k2m4q0v7c1x3n5b9d6f",
                action: "approve",
                decision: "deny",
                determiningPolicies: ["approval-not-own-request"],
                count: 2,
              },
            ],
            byPolicy: [{ policy: "approval-not-own-request", count: 2 }],
          },
        },
      },
    },
    ...errorResponses(),
  },
});

export const getFeedbackRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/feedback/{id}",
  operationId: "getFeedback",
  summary: "Read feedback with what it is linked to",
  request: { params: IdParams },
  responses: {
    200: { description: "The feedback", content: { "application/json": { schema: LinkedFeedbackSchema } } },
    ...errorResponses(404),
  },
});
