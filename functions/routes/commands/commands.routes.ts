import { createRoute, z } from "@hono/zod-openapi";
import { commandStatuses } from "../../../shared/db/schema";
import { requireContentType } from "../../middleware/content-type";
import { idempotency } from "../../middleware/idempotency";
import { IdParams, PageQuery, pageOf } from "../../openapi/common-schemas";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";

const AttemptSchema = z.object({
  attempt: z.number().int(),
  outcome: z.enum(["sending", "succeeded", "failed", "retry"]),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const CommandSchema = z
  .object({
    id: z.string(),
    name: z.string().openapi({ example: "service.restart" }),
    target: z.string().openapi({ example: "svc:checkout-api" }),
    params: z.record(z.string(), z.unknown()),
    status: z.enum(commandStatuses),
    requiresApproval: z
      .boolean()
      .openapi({ description: "Decided by policy (four eyes), not by the requester." }),
    approvalId: z.string().nullable(),
    incidentId: z.string().nullable(),
    runId: z.string().nullable(),
    dispatchMode: z.enum(["webhook", "manual"]).nullable().openapi({
      description:
        "`webhook`: sent to the tenant's executor; `manual`: no executor, an operator records the outcome.",
    }),
    requestedBy: z.string(),
    attemptCount: z.number().int(),
    outcome: z.record(z.string(), z.unknown()).nullable(),
    error: z.string().nullable(),
    createdAt: z.string(),
    dispatchedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    attempts: z
      .array(AttemptSchema)
      .optional()
      .openapi({ description: "Every delivery to the executor (on GET by id)." }),
  })
  .openapi("Command");

const Acted = CommandSchema.extend({ receiptId: z.string(), decisionId: z.string() }).openapi(
  "CommandAction",
);

export const RequestCommandBody = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/)
      .max(200)
      .openapi({ example: "service.restart" }),
    target: z.string().trim().min(1).max(500).openapi({ example: "svc:checkout-api" }),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
    requiresApproval: z.boolean().optional().openapi({
      deprecated: true,
      description:
        "Ignored. Whether a command needs another approver is decided by policy on its name and target (Cedar `skipApproval`, policies/four-eyes.cedar), never by the requester; the answer's `requiresApproval` says what was decided.",
    }),
    approvalTtlSeconds: z
      .number()
      .int()
      .min(60)
      .max(7 * 24 * 3600)
      .optional()
      .openapi({
        description: "How long the approval waits before it expires (default one day).",
      }),
    incidentId: z.string().max(64).optional(),
  })
  .strict()
  .openapi("RequestCommand");

export const CommandOutcomeBody = z
  .object({ status: z.enum(["succeeded", "failed"]), detail: z.string().max(5000).optional() })
  .strict()
  .openapi("CommandOutcome");

const base = { security: bearerAuth, tags: ["Ops"] };
const acted = (description: string) => ({ description, content: { "application/json": { schema: Acted } } });
const json = <T extends z.ZodType>(schema: T) => ({
  required: true as const,
  content: { "application/json": { schema } },
});

export const requestCommandRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/commands",
  operationId: "requestCommand",
  summary: "Request a command",
  description:
    "Cedar `runCommand` (operators). Policy then decides whether it needs another approver (Cedar `skipApproval` on its name and target: production targets `prod:…` and destructive commands such as `*.delete`, `*.failover`, `*.rollback` do): if so it waits, `awaiting_approval`, for an approver other than the requester; otherwise it is dispatched at once, to the tenant's executor (a signed webhook, retried with backoff) or, with none, left for an operator to record the outcome. Takes `Idempotency-Key`.",
  middleware: [requireContentType("application/json"), idempotency] as const,
  request: { body: json(RequestCommandBody) },
  responses: { 201: acted("Requested"), ...errorResponses(403, 409, 413, 415, 422) },
});

export const listCommandsRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/commands",
  operationId: "listCommands",
  summary: "List commands, newest first",
  request: { query: PageQuery.extend({ status: z.enum(commandStatuses).optional() }) },
  responses: {
    200: {
      description: "A page",
      content: { "application/json": { schema: pageOf(CommandSchema, "CommandPage") } },
    },
    ...errorResponses(403),
  },
});

export const getCommandRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/commands/{id}",
  operationId: "getCommand",
  summary: "Read a command with its delivery attempts",
  request: { params: IdParams },
  responses: {
    200: { description: "The command", content: { "application/json": { schema: CommandSchema } } },
    ...errorResponses(403, 404),
  },
});

export const cancelCommandRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/commands/{id}/cancel",
  operationId: "cancelCommand",
  summary: "Cancel a command not yet dispatched",
  description: "Cedar `runCommand`. Its pending approval, if any, is closed as `cancelled`.",
  request: { params: IdParams },
  responses: { 200: acted("Cancelled"), ...errorResponses(403, 404, 409) },
});

export const recordOutcomeRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/commands/{id}/outcome",
  operationId: "recordCommandOutcome",
  summary: "Record the outcome of a command dispatched without an executor",
  description: "Cedar `runCommand`. Only for `dispatchMode: manual`; an executor's answer is never typed in.",
  middleware: [requireContentType("application/json")] as const,
  request: { params: IdParams, body: json(CommandOutcomeBody) },
  responses: { 200: acted("Recorded"), ...errorResponses(403, 404, 409, 415) },
});
