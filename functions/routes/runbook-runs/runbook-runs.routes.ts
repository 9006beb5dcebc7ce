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
      content: {
        "application/json": { schema: RunSchema.extend({ receiptId: z.string(), decisionId: z.string() }) },
      },
    },
    ...errorResponses(403, 404, 409, 415),
  },
});
