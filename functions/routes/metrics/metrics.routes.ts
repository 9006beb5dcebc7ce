import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../middleware/auth";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";

const links = z.array(z.string()).openapi({
  description: "API calls that list the receipts (or feedback) this figure counts.",
  example: ["/v1/timeline?kind=approval.approved&from=2026-11-23T00:00:00.000Z&to=2026-11-30T00:00:00.000Z"],
});
const figure = z.object({ value: z.number().int(), links });

export const SuccessQuery = z.object({
  weeks: z.coerce.number().int().min(1).max(52).default(12).openapi({ example: 12 }),
});

export const SuccessMetricsSchema = z
  .object({
    from: z.string().datetime().openapi({ description: "Monday 00:00 UTC of the first ISO week." }),
    to: z.string().datetime().openapi({ description: "Exclusive: the Monday after the current week." }),
    weeks: z.number().int(),
    activation: z.object({
      done: z.number().int(),
      total: z.number().int(),
      steps: z.array(
        z.object({
          step: z.string(),
          state: z.enum(["pending", "done", "skipped"]),
          at: z.string().datetime().nullable(),
          secondsSinceTenantCreated: z.number().int().nullable(),
          receiptId: z.string().nullable().openapi({ description: "The proving receipt (else the mark's)." }),
        }),
      ),
      links,
    }),
    timeToFirstCommand: z.object({ seconds: z.number().int().nullable(), links }),
    weekly: z.array(
      z.object({
        week: z.string().openapi({ description: "The ISO week's Monday.", example: "2026-11-23" }),
        activeOperators: figure,
        approvals: figure,
        incidents: figure.extend({
          withRunbookRun: z.number().int(),
          runbookRunShare: z.number().nullable(),
        }),
        runbookRuns: figure,
      }),
    ),
    approvalCycle: z.object({
      decided: z.number().int(),
      medianSeconds: z.number().nullable(),
      p90Seconds: z.number().nullable(),
      links,
    }),
    imports: z.object({
      dryRuns: z.number().int(),
      passed: z.number().int(),
      passRate: z.number().nullable(),
      links,
    }),
    frictionPerScreen: z.array(z.object({ screen: z.string(), count: z.number().int(), links })),
  })
  .openapi("SuccessMetrics");

export const successRoute = createRoute({
  method: "get",
  path: "/v1/metrics/success",
  operationId: "getSuccessMetrics",
  summary: "The pilot's success metrics",
  description:
    "Admins and viewers. Counted exactly from the receipt log over the last `weeks` ISO weeks (UTC, the current one included): activation (steps done, each step's time since the tenant was created), time to first command, weekly active operators (distinct non-system actors that left a receipt), approvals decided, incidents opened and the share with a runbook run launched, runbook runs, the median and p90 approval cycle (nearest rank, requested → decided), the import dry-run pass rate (plans with no rejected row) and friction reports per screen. Each figure lists the calls that show what it counts.",
  tags: ["Metrics"],
  security: bearerAuth,
  middleware: [requireRole("admin", "viewer")] as const,
  request: { query: SuccessQuery },
  responses: {
    200: { description: "The metrics", content: { "application/json": { schema: SuccessMetricsSchema } } },
    ...errorResponses(403),
  },
});
