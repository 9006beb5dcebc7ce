import { createRoute, z } from "@hono/zod-openapi";
import { setupStepKeys } from "../../../shared/setup/steps";
import { requireRole } from "../../middleware/auth";
import { requireContentType } from "../../middleware/content-type";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";

const StepKey = z.enum(setupStepKeys).openapi({ example: "first_command" });

const NextActionSchema = z
  .object({
    method: z.enum(["GET", "POST", "PUT", "PATCH"]),
    path: z.string().openapi({ example: "/v1/commands" }),
    operationId: z.string().openapi({ example: "requestCommand" }),
    description: z.string(),
  })
  .openapi("SetupNextAction");

const ChecklistStepSchema = z
  .object({
    step: StepKey,
    title: z.string().openapi({ example: "Run your first command" }),
    state: z.enum(["pending", "done", "skipped"]),
    source: z.enum(["event", "manual"]).nullable().openapi({
      description: "`event`: proven by a real receipt; `manual`: marked by an admin (a reason is kept).",
    }),
    at: z
      .string()
      .datetime()
      .nullable()
      .openapi({ description: "When the proving event (or the mark) happened." }),
    by: z
      .string()
      .nullable()
      .openapi({ description: "Who did it: the proving receipt's actor.", example: "operator:op_1" }),
    proofReceiptId: z.string().nullable().openapi({ description: "The receipt that proved the step." }),
    receiptId: z
      .string()
      .nullable()
      .openapi({ description: "The `setup.step.done` / `setup.step.skipped` receipt." }),
    reason: z.string().nullable(),
    next: NextActionSchema.nullable().openapi({
      description: "What to do to finish it; null once finished.",
    }),
  })
  .openapi("SetupChecklistStep");

export const ChecklistSchema = z
  .object({
    done: z.number().int().openapi({ example: 3 }),
    skipped: z.number().int().openapi({ example: 0 }),
    total: z.number().int().openapi({ example: 7 }),
    complete: z.boolean(),
    steps: z.array(ChecklistStepSchema),
    next: NextActionSchema.extend({ step: StepKey }).nullable().openapi({
      description: "The first pending step's action.",
    }),
  })
  .openapi("SetupChecklist");

export const MarkBody = z
  .object({
    step: StepKey,
    state: z.enum(["done", "skipped"]),
    reason: z.string().trim().min(3).max(500).openapi({
      description: "Why the step is marked by hand; the receipt keeps it.",
      example: "The partner signs in with API keys only during the pilot.",
    }),
  })
  .strict()
  .openapi("SetupMark");

export const UndoMarkBody = z
  .object({
    step: StepKey,
    reason: z.string().trim().min(1).max(500).optional().openapi({ example: "Marked by mistake." }),
  })
  .strict()
  .openapi("SetupUndoMark");

const MarkResultSchema = z
  .object({
    step: StepKey,
    state: z.enum(["done", "skipped", "pending"]),
    receiptId: z.string().openapi({ example: "rcpt_5c1d…" }),
    decisionId: z.string().openapi({ example: "dec_0h3k…" }),
  })
  .openapi("SetupMarkResult");

const base = { security: bearerAuth, tags: ["Setup"] };

export const getChecklistRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/setup/checklist",
  operationId: "getSetupChecklist",
  summary: "The guided-setup checklist",
  description:
    "Seven steps, in order. Each is done on the first real receipt of its kind (the proving receipt) and then carries a `setup.step.done` receipt linking it; reading the checklist also completes any step the log already proves. Any role.",
  responses: {
    200: {
      description: "The checklist",
      content: {
        "application/json": {
          schema: ChecklistSchema,
          example: {
            done: 1,
            skipped: 0,
            total: 7,
            complete: false,
            steps: [
              {
                step: "idp_configured",
                title: "Connect your identity provider",
                state: "done",
                source: "event",
                at: "2026-11-24T09:12:00.000Z",
                by: "api_key:key_admin",
                proofReceiptId: "rcpt_a1…",
                receiptId: "rcpt_b2…",
                reason: null,
                next: null,
              },
            ],
            next: {
              step: "tenant_configured",
              method: "POST",
              path: "/v1/domains",
              operationId: "addDomain",
              description: "Add a white-label domain with its display name, logo and colours.",
            },
          },
        },
      },
    },
    ...errorResponses(),
  },
});

export const markStepRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/setup/marks",
  operationId: "markSetupStep",
  summary: "Mark a setup step done or skipped by hand",
  description:
    "Admins only (Cedar `configure` on the tenant). A reason is required and kept on the `setup.step.done` / `setup.step.skipped` receipt (`source: manual`). A step already proven or marked answers 409. A real event later replaces the mark with its proof.",
  middleware: [requireRole("admin"), requireContentType("application/json")] as const,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: MarkBody,
          example: { step: "idp_configured", state: "skipped", reason: "API keys only during the pilot." },
        },
      },
    },
  },
  responses: {
    201: { description: "Marked", content: { "application/json": { schema: MarkResultSchema } } },
    ...errorResponses(403, 409, 413, 415),
  },
});

export const undoMarkRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/setup/marks/undo",
  operationId: "undoSetupMark",
  summary: "Undo a hand-made mark",
  description:
    "Admins only (Cedar `configure`). The step returns to pending (or to done, if the log proves it) and a `setup.step.reopened` receipt links the mark it undid. A step proven by an event cannot be undone (409).",
  middleware: [requireRole("admin"), requireContentType("application/json")] as const,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: UndoMarkBody,
          example: { step: "idp_configured", reason: "IdP is ready now." },
        },
      },
    },
  },
  responses: {
    200: { description: "Undone", content: { "application/json": { schema: MarkResultSchema } } },
    ...errorResponses(403, 409, 413, 415),
  },
});
