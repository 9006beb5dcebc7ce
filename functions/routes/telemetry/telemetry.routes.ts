import { createRoute, z } from "@hono/zod-openapi";
import { telemetryLimits } from "../../../shared/telemetry/limits";
import { requireContentType } from "../../middleware/content-type";
import { PageQuery, pageOf } from "../../openapi/common-schemas";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";

const exampleEvent = {
  id: "evt_01JD0Q8X4M",
  name: "checklist.opened",
  at: "2026-11-24T09:12:00.000Z",
  screen: "setup/checklist",
  actionId: "open",
  properties: { step: "first_command", fromEmail: true },
};

export const IngestBody = z
  .object({
    events: z
      .array(z.unknown())
      .min(1)
      .max(telemetryLimits.eventsPerBatch)
      .openapi({
        description: `1 to ${telemetryLimits.eventsPerBatch} events. Each: \`id\` (1–64 of [A-Za-z0-9._:-], unique per tenant), \`name\` (lower-case dotted, ≤ 100), \`at\` (RFC 3339, within the last 7 days and ≤ 5 minutes ahead), optional \`screen\`, \`actionId\` (printable ASCII ≤ 200), \`receiptId\`, \`decisionId\`, and \`properties\`: ≤ ${telemetryLimits.propertiesPerEvent} flat keys, values string (≤ ${telemetryLimits.propertyStringLength}), number, boolean or null. At most ${telemetryLimits.bytesPerEvent} bytes of JSON an event.`,
        example: [exampleEvent],
      }),
  })
  .strict()
  .openapi("TelemetryBatch");

const RefusalSchema = z.object({
  index: z.number().int().openapi({ description: "Position in the batch." }),
  id: z.string().nullable(),
  errors: z.array(z.object({ pointer: z.string(), code: z.string(), message: z.string() })),
});

export const IngestResultSchema = z
  .object({
    accepted: z.number().int().openapi({ description: "Events stored by this request." }),
    duplicates: z
      .array(z.string())
      .openapi({ description: "Event ids already stored (or repeated in the batch): not stored again." }),
    refused: z.array(RefusalSchema).openapi({ description: "Events not stored, with why." }),
  })
  .openapi("TelemetryIngestResult");

export const EventSchema = z
  .object({
    id: z.string().openapi({ description: "The client's event id; for action events, the receipt id." }),
    source: z.enum(["client", "action"]),
    name: z.string().openapi({ example: "checklist.opened" }),
    at: z.string().datetime(),
    actor: z.string(),
    screen: z.string().nullable(),
    actionId: z.string().nullable(),
    receiptId: z.string().nullable(),
    decisionId: z.string().nullable(),
    properties: z.record(z.string(), z.unknown()),
  })
  .openapi("TelemetryEvent");

const iso = z.iso.datetime({ offset: true });

export const EventsQuery = PageQuery.extend({
  source: z.enum(["client", "action"]).optional(),
  name: z.string().max(100).optional(),
  screen: z.string().max(200).optional(),
  actor: z.string().max(200).optional(),
  from: iso.optional().openapi({ description: "Inclusive." }),
  to: iso.optional().openapi({ description: "Exclusive." }),
});

export const RequestsQuery = z.object({
  from: iso.openapi({ description: "Inclusive.", example: "2026-11-24T00:00:00Z" }),
  to: iso.openapi({ description: "Exclusive.", example: "2026-11-25T00:00:00Z" }),
});

export const RequestStatsSchema = z
  .object({
    from: z.string().datetime(),
    to: z.string().datetime(),
    quantileRelativeError: z.number().openapi({
      description:
        "Bound on the relative error of p50/p95/p99 read from the latency histogram (2^(1/8) − 1).",
      example: 0.0905,
    }),
    routes: z.array(
      z.object({
        route: z.string().openapi({ example: "/v1/feedback/:id" }),
        method: z.string().openapi({ example: "GET" }),
        count: z.number().int(),
        status: z.object({
          "2xx": z.number().int(),
          "3xx": z.number().int(),
          "4xx": z.number().int(),
          "5xx": z.number().int(),
        }),
        latencyMs: z.object({
          mean: z.number(),
          p50: z.number().nullable(),
          p95: z.number().nullable(),
          p99: z.number().nullable(),
          max: z.number(),
        }),
        bytesIn: z.number().int(),
        bytesOut: z.number().int(),
        receipts: z.number().int().openapi({ description: "Requests that produced a receipt." }),
        lastRequestId: z.string().nullable(),
        lastReceiptId: z.string().nullable(),
      }),
    ),
  })
  .openapi("RequestStats");

const base = { security: bearerAuth, tags: ["Telemetry"] };

export const ingestRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/telemetry/events",
  operationId: "ingestTelemetryEvents",
  summary: "Send a batch of client events",
  description:
    "Any role (Cedar `sendTelemetry`, once per batch). Each event is validated on its own: the good ones are stored, attributed to the caller, deduplicated by event id within the tenant; the answer names each refused event and why. Kept TELEMETRY_EVENTS_RETENTION_DAYS (30 by default).",
  middleware: [requireContentType("application/json")] as const,
  request: {
    body: {
      required: true,
      content: { "application/json": { schema: IngestBody, example: { events: [exampleEvent] } } },
    },
  },
  responses: {
    200: {
      description: "Stored what was good",
      content: {
        "application/json": {
          schema: IngestResultSchema,
          example: {
            accepted: 1,
            duplicates: [],
            refused: [
              {
                index: 1,
                id: "evt_2",
                errors: [
                  {
                    pointer: "/name",
                    code: "invalid_format",
                    message: "lower-case, dotted: `checklist.opened`",
                  },
                ],
              },
            ],
          },
        },
      },
    },
    ...errorResponses(403, 413, 415),
  },
});

export const listEventsRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/telemetry/events",
  operationId: "listTelemetryEvents",
  summary: "List telemetry events",
  description:
    "Client events and the events ops actions leave (id = receipt id), newest first; cursor pages.",
  request: { query: EventsQuery },
  responses: {
    200: {
      description: "A page",
      content: { "application/json": { schema: pageOf(EventSchema, "TelemetryEventPage") } },
    },
    ...errorResponses(),
  },
});

export const requestStatsRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/telemetry/requests",
  operationId: "getRequestTelemetry",
  summary: "Server request telemetry per route",
  description:
    "From per-minute rollups of every /v1 request of this tenant: route template, method, status classes, latency (mean, max and p50/p95/p99 from a log-bucket histogram), bytes in/out as declared by Content-Length, requests that produced a receipt, and the latest request and receipt ids. Rollups are written within a second of a request (off its path) and kept TELEMETRY_ROLLUPS_RETENTION_DAYS.",
  request: { query: RequestsQuery },
  responses: {
    200: { description: "Per route", content: { "application/json": { schema: RequestStatsSchema } } },
    ...errorResponses(),
  },
});
