import { createRoute, z } from "@hono/zod-openapi";
import { exemptableActions, maxExceptionDays, minRationaleLength } from "../../../shared/policy/exceptions";
import { requireRole } from "../../middleware/auth";
import { requireContentType } from "../../middleware/content-type";
import { IdParams, PageQuery, pageOf } from "../../openapi/common-schemas";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";

export const PolicyExceptionSchema = z
  .object({
    id: z.string().openapi({ example: "pex_8k2m4q0v7c1x3n5b9d6f" }),
    principal: z.string().openapi({ example: 'Switchboard::ApiKey::"key_8k2m4q0v7c1x3n5b9d6f"' }),
    action: z.string().openapi({ example: "runCommand" }),
    resource: z.string().nullable().openapi({
      description: "The one resource it covers; null covers every resource of the action.",
      example: 'Switchboard::Command::"cmd_restart_checkout"',
    }),
    rationale: z.string(),
    createdBy: z.string().openapi({ description: "Cedar uid of the admin who recorded it." }),
    receiptId: z.string().nullable().openapi({ description: "The `policy.exception.recorded` receipt." }),
    status: z.enum(["active", "expired", "revoked"]),
    createdAt: z.string().datetime(),
    expiresAt: z.string().datetime(),
    revokedAt: z.string().datetime().nullable(),
  })
  .openapi("PolicyException");

export const RevokedPolicyExceptionSchema = PolicyExceptionSchema.extend({
  revocationReceiptId: z.string().nullable().openapi({
    description: "The `policy.exception.revoked` receipt; null when it was already revoked.",
  }),
}).openapi("RevokedPolicyException");

export const CreatePolicyExceptionBody = z
  .object({
    principal: z
      .string()
      .max(200)
      .regex(/^Switchboard::(ApiKey|Operator)::"[^"]+"$/)
      .openapi({
        description:
          "Who it exempts: an API key or operator of this tenant, as a decision's `principal` shows it.",
        example: 'Switchboard::ApiKey::"key_8k2m4q0v7c1x3n5b9d6f"',
      }),
    action: z.enum(exemptableActions).openapi({ example: "runCommand" }),
    resource: z
      .string()
      .max(300)
      .regex(/^Switchboard::[A-Za-z]+::".+"$/)
      .optional()
      .openapi({
        description:
          "One resource, as a decision's `resource` shows it. Omit to cover every resource of the action.",
        example: 'Switchboard::Command::"cmd_restart_checkout"',
      }),
    rationale: z.string().trim().min(minRationaleLength).max(2000).openapi({
      description: "Why the policy should not apply here; kept with the exception and in its receipt.",
      example: "Incident INC-42: viewer on call must restart checkout until the operator rota is fixed.",
    }),
    expiresAt: z
      .string()
      .datetime({ offset: true })
      .openapi({
        description: `When it stops applying: in the future and at most ${maxExceptionDays} days away.`,
        example: "2026-01-31T18:00:00Z",
      }),
  })
  .strict()
  .openapi("CreatePolicyException");

const base = { security: bearerAuth, tags: ["Policy"] };

export const createPolicyExceptionRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/policy-exceptions",
  operationId: "createPolicyException",
  summary: "Record a governed policy exception",
  description:
    "Lets one principal take one action that the policies deny (on one resource or on any) until `expiresAt`; the decisions it allows name it in `exceptionId`. Never crosses the tenant boundary, and nobody records one for themselves. Gated by the `recordException` policy; leaves a `policy.exception.recorded` receipt.",
  middleware: [requireRole("admin"), requireContentType("application/json")] as const,
  request: {
    body: { required: true, content: { "application/json": { schema: CreatePolicyExceptionBody } } },
  },
  responses: {
    201: { description: "Recorded", content: { "application/json": { schema: PolicyExceptionSchema } } },
    ...errorResponses(403, 413, 415),
  },
});

export const listPolicyExceptionsRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/policy-exceptions",
  operationId: "listPolicyExceptions",
  summary: "List policy exceptions",
  description: "Newest first, including expired and revoked ones: the governance record.",
  request: { query: PageQuery },
  responses: {
    200: {
      description: "A page of exceptions",
      content: { "application/json": { schema: pageOf(PolicyExceptionSchema, "PolicyExceptionPage") } },
    },
    ...errorResponses(),
  },
});

export const revokePolicyExceptionRoute = createRoute({
  ...base,
  method: "delete",
  path: "/v1/policy-exceptions/{id}",
  operationId: "revokePolicyException",
  summary: "Revoke a policy exception",
  description:
    "It stops applying at once. Leaves a `policy.exception.revoked` receipt; revoking a revoked exception changes nothing.",
  middleware: [requireRole("admin")] as const,
  request: { params: IdParams },
  responses: {
    200: {
      description: "Revoked",
      content: { "application/json": { schema: RevokedPolicyExceptionSchema } },
    },
    ...errorResponses(403, 404),
  },
});
