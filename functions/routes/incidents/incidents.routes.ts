import { createRoute, z } from "@hono/zod-openapi";
import { requireContentType } from "../../middleware/content-type";
import { IdParams, PageQuery, pageOf } from "../../openapi/common-schemas";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";

const severity = z.string().trim().min(1).max(32).openapi({ example: "SEV2" });

export const IncidentSchema = z
  .object({
    id: z.string(),
    key: z.string().openapi({ description: "The source's id for an imported incident; the id otherwise." }),
    title: z.string(),
    description: z.string().nullable(),
    status: z.enum(["triggered", "acknowledged", "resolved"]),
    severity: z.string().nullable(),
    urgency: z.enum(["high", "low"]).nullable(),
    priority: z.string().nullable(),
    service: z.string().nullable(),
    source: z.enum(["import", "api"]),
    openedAt: z.string(),
    acknowledgedAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    history: z.array(z.object({ event: z.string(), at: z.string() })).openapi({
      description: "Opened / acknowledged / resolved, from the kept timestamps (an import's are historical).",
    }),
    links: z.object({ runbookRuns: z.array(z.string()), commands: z.array(z.string()) }),
  })
  .openapi("Incident");

const Acted = IncidentSchema.extend({
  receiptId: z.string().openapi({ description: "The receipt of this action; also the telemetry event id." }),
  decisionId: z.string(),
}).openapi("IncidentAction");

export const OpenIncidentBody = z
  .object({
    title: z.string().trim().min(1).max(300).openapi({ example: "Checkout latency over SLO" }),
    severity,
    service: z.string().trim().min(1).max(200).openapi({ example: "svc:checkout-api" }),
    description: z.string().max(5000).optional(),
  })
  .strict()
  .openapi("OpenIncident");

export const ResolveIncidentBody = z
  .object({
    severity: severity.optional().openapi({ description: "The final severity, when it changed." }),
    resolution: z.string().max(5000).optional(),
  })
  .strict()
  .openapi("ResolveIncident");

const base = { security: bearerAuth, tags: ["Ops"] };
const json = <T extends z.ZodType>(schema: T) => ({
  required: true as const,
  content: { "application/json": { schema } },
});
const acted = (description: string) => ({ description, content: { "application/json": { schema: Acted } } });

export const openIncidentRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/incidents",
  operationId: "openIncident",
  summary: "Open an incident",
  description:
    "Cedar `respondIncident` (operators). Leaves an `incident.opened` receipt and telemetry event.",
  middleware: [requireContentType("application/json")] as const,
  request: { body: json(OpenIncidentBody) },
  responses: { 201: acted("Opened"), ...errorResponses(403, 413, 415) },
});

export const listIncidentsRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/incidents",
  operationId: "listIncidents",
  summary: "List incidents, newest first",
  request: {
    query: PageQuery.extend({ status: z.enum(["triggered", "acknowledged", "resolved"]).optional() }),
  },
  responses: {
    200: {
      description: "A page",
      content: { "application/json": { schema: pageOf(IncidentSchema, "IncidentPage") } },
    },
    ...errorResponses(403),
  },
});

export const getIncidentRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/incidents/{id}",
  operationId: "getIncident",
  summary: "Read an incident with its history and links",
  request: { params: IdParams },
  responses: {
    200: { description: "The incident", content: { "application/json": { schema: IncidentSchema } } },
    ...errorResponses(403, 404),
  },
});

export const acknowledgeIncidentRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/incidents/{id}/acknowledge",
  operationId: "acknowledgeIncident",
  summary: "Acknowledge an incident",
  description: "Cedar `respondIncident`. 409 when already acknowledged or resolved.",
  request: { params: IdParams },
  responses: { 200: acted("Acknowledged"), ...errorResponses(403, 404, 409) },
});

export const resolveIncidentRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/incidents/{id}/resolve",
  operationId: "resolveIncident",
  summary: "Resolve an incident",
  description: "Cedar `respondIncident`. Timestamps already set (e.g. by an import) are kept.",
  middleware: [requireContentType("application/json")] as const,
  request: { params: IdParams, body: json(ResolveIncidentBody) },
  responses: { 200: acted("Resolved"), ...errorResponses(403, 404, 409, 415) },
});
