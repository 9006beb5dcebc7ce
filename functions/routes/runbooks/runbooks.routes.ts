import { createRoute, z } from "@hono/zod-openapi";
import { requireContentType } from "../../middleware/content-type";
import { IdParams, PageQuery, pageOf } from "../../openapi/common-schemas";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";
import { RunSchema } from "../runbook-runs/runbook-runs.routes";

export const RunbookSchema = z
  .object({
    id: z.string(),
    key: z.string().openapi({ description: "The runbook's own id (`id` in its source)." }),
    title: z.string(),
    version: z.number().int(),
    contentHash: z.string(),
    source: z.enum(["import", "api"]).openapi({ description: "Who last wrote it." }),
    content: z
      .record(z.string(), z.unknown())
      .openapi({ description: "The normalized runbook: inputs, steps." }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Runbook");

const Acted = RunbookSchema.extend({ receiptId: z.string() }).openapi("RunbookAction");

export const RunbookSource = z.record(z.string(), z.unknown()).openapi("RunbookSource", {
  description:
    "A runbook as the runbooks importer takes it: `id`, `title`, `version`, `inputs[]`, `steps[]` (`kind: manual | command`, `requires_approval`, `command`, `params` with `{{ input }}` templates). Validated like an import row: a problem is a 422 with the field's pointer.",
  example: {
    id: "restart-checkout",
    title: "Restart checkout",
    version: 1,
    inputs: [{ name: "service", required: true }],
    steps: [
      { id: "check", title: "Check dashboards", kind: "manual" },
      {
        id: "restart",
        title: "Restart",
        kind: "command",
        command: "service.restart",
        params: { target: "{{ service }}" },
        requires_approval: true,
      },
    ],
  },
});

export const LaunchBody = z
  .object({
    incidentId: z.string().max(64).optional(),
    inputs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  })
  .strict()
  .openapi("LaunchRunbook");

const VersionSchema = z.object({
  version: z.number().int(),
  contentHash: z.string(),
  importId: z.string().nullable(),
  content: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

const base = { security: bearerAuth, tags: ["Ops"] };
const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true as const,
  content: { "application/json": { schema } },
});
const acted = (description: string) => ({ description, content: { "application/json": { schema: Acted } } });

export const listRunbooksRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/runbooks",
  operationId: "listRunbooks",
  summary: "List runbooks (imported and authored), newest first",
  request: { query: PageQuery },
  responses: {
    200: {
      description: "A page",
      content: { "application/json": { schema: pageOf(RunbookSchema, "RunbookPage") } },
    },
    ...errorResponses(403),
  },
});

export const createRunbookRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/runbooks",
  operationId: "createRunbook",
  summary: "Create a runbook",
  description: "Cedar `configure` on the Runbook (admins). 409 when its `id` exists: add a version instead.",
  middleware: [requireContentType("application/json")] as const,
  request: { body: jsonBody(RunbookSource) },
  responses: { 201: acted("Created"), ...errorResponses(403, 409, 413, 415, 422) },
});

export const getRunbookRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/runbooks/{id}",
  operationId: "getRunbook",
  summary: "Read a runbook's current version",
  request: { params: IdParams },
  responses: {
    200: { description: "The runbook", content: { "application/json": { schema: RunbookSchema } } },
    ...errorResponses(403, 404),
  },
});

export const listVersionsRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/runbooks/{id}/versions",
  operationId: "listRunbookVersions",
  summary: "Every version of a runbook, newest first",
  request: { params: IdParams },
  responses: {
    200: {
      description: "The versions",
      content: { "application/json": { schema: z.object({ items: z.array(VersionSchema) }) } },
    },
    ...errorResponses(403, 404),
  },
});

export const addVersionRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/runbooks/{id}/versions",
  operationId: "addRunbookVersion",
  summary: "Add a version",
  description: "Cedar `configure`. The body's `id` must be the runbook's key; unchanged content is a 409.",
  middleware: [requireContentType("application/json")] as const,
  request: { params: IdParams, body: jsonBody(RunbookSource) },
  responses: { 201: acted("Versioned"), ...errorResponses(403, 404, 409, 413, 415, 422) },
});

export const launchRunRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/runbooks/{id}/runs",
  operationId: "launchRunbook",
  summary: "Launch a run, for an incident or on its own",
  description:
    "Cedar `launchRunbook` (operators). Inputs are checked against the runbook's (unknown or missing required inputs: 400). The run advances at once to its first wait.",
  middleware: [requireContentType("application/json")] as const,
  request: { params: IdParams, body: jsonBody(LaunchBody) },
  responses: {
    201: {
      description: "Launched",
      content: {
        "application/json": { schema: RunSchema.extend({ receiptId: z.string(), decisionId: z.string() }) },
      },
    },
    ...errorResponses(403, 404, 413, 415, 422),
  },
});
