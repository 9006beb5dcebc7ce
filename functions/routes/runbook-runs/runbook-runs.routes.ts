import { createRoute, z } from "@hono/zod-openapi";
import { runStatuses, stepStatuses } from "../../../shared/db/schema";
import { requireContentType } from "../../middleware/content-type";
import { IdParams, PageQuery, pageOf } from "../../openapi/common-schemas";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";

const StepSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(["manual", "command"]),
  requiresApproval: z.boolean(),
  timeoutSeconds: z.number().int().nullable().openapi({ description: "The runbook step's `timeout`." }),
  deadlineAt: z.string().nullable().openapi({
    description:
      "Set when the step starts (its approval wait included); still waiting after it, the `step-timeouts` cron fails the step and the run.",
  }),
  status: z.enum(stepStatuses),
  approvalId: z.string().nullable(),
  commandId: z.string().nullable(),
  completedBy: z.string().nullable(),
  note: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

export const RunSchema = z
  .object({
    id: z.string(),
    runbookId: z.string(),
    runbookKey: z.string(),
    runbookVersion: z.number().int(),
    incidentId: z.string().nullable(),
    inputs: z.record(z.string(), z.unknown()),
    status: z.enum(runStatuses),
    startedBy: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    steps: z
      .array(StepSchema)
      .optional()
      .openapi({ description: "In order, with their history (on GET by id)." }),
  })
  .openapi("RunbookRun");

export const StepParams = IdParams.extend({
  step: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: "step", in: "path" }, example: "check-dashboards" }),
});

export const CompleteStepBody = z
  .object({ note: z.string().max(5000).optional() })
  .strict()
  .openapi("CompleteStep");

export const CancelRunBody = z
  .object({ reason: z.string().trim().min(1).max(2000).optional().openapi({ example: "wrong zone" }) })
  .strict()
  .openapi("CancelRunbookRun");

const Acted = RunSchema.extend({ receiptId: z.string(), decisionId: z.string() });

const base = { security: bearerAuth, tags: ["Ops"] };

export const listRunsRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/runbook-runs",
  operationId: "listRunbookRuns",
  summary: "List runbook runs, newest first",
  request: { query: PageQuery },
  responses: {
    200: {
      description: "A page",
      content: { "application/json": { schema: pageOf(RunSchema, "RunbookRunPage") } },
    },
    ...errorResponses(403),
  },
});

export const getRunRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/runbook-runs/{id}",
  operationId: "getRunbookRun",
  summary: "Read a run: status and step history",
  request: { params: IdParams },
  responses: {
    200: { description: "The run", content: { "application/json": { schema: RunSchema } } },
    ...errorResponses(403, 404),
  },
});

export const completeStepRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/runbook-runs/{id}/steps/{step}/complete",
  operationId: "completeRunbookStep",
  summary: "Complete a manual step",
  description:
    "Cedar `launchRunbook` on the run's runbook (operators). Only a manual step awaiting an operator (else 409).",
  middleware: [requireContentType("application/json")] as const,
  request: {
    params: StepParams,
    body: { required: true, content: { "application/json": { schema: CompleteStepBody } } },
  },
  responses: {
    200: {
      description: "Completed; the run moved on",
      content: { "application/json": { schema: Acted } },
    },
    ...errorResponses(403, 404, 409, 415),
  },
});

export const cancelRunRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/runbook-runs/{id}/cancel",
  operationId: "cancelRunbookRun",
  summary: "Cancel a run in progress",
  description:
    "Cedar `launchRunbook` on the run's runbook (operators). The waiting step and the run become `cancelled`; the run's pending approvals and its commands not yet dispatched are cancelled too, each with a receipt. A command already dispatched is left to finish. A finished run answers 409. The body (a `reason`) is optional.",
  request: {
    params: IdParams,
    body: { required: false, content: { "application/json": { schema: CancelRunBody } } },
  },
  responses: {
    200: { description: "Cancelled", content: { "application/json": { schema: Acted } } },
    ...errorResponses(403, 404, 409, 415),
  },
});
