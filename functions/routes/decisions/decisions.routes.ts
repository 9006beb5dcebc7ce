import { createRoute, z } from "@hono/zod-openapi";
import { IdParams } from "../../openapi/common-schemas";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";

export const DecisionSchema = z
  .object({
    id: z.string().openapi({ example: "dec_8k2m4q0v7c1x3n5b9d6f" }),
    principal: z
      .string()
      .openapi({ description: "Cedar uid of who asked.", example: 'Switchboard::ApiKey::"key_8k2m"' }),
    action: z
      .string()
      .openapi({ description: "A Cedar action of policies/schema.cedarschema.", example: "approve" }),
    resource: z.string().openapi({
      description: "Cedar uid of what it was asked about.",
      example: 'Switchboard::Approval::"apr_1"',
    }),
    contextDigest: z
      .string()
      .openapi({ description: "SHA-256 (hex) of the RFC 8785 JSON of the request context." }),
    decision: z.enum(["allow", "deny"]),
    determiningPolicies: z.array(z.string()).openapi({
      description:
        "`@id`s of the policies that decided: the permits behind an allow, the forbids behind a deny. Empty for a deny means no policy permits it.",
      example: ["approval-not-own-request"],
    }),
    errors: z
      .array(z.string())
      .openapi({ description: "Evaluation errors; a request Cedar could not evaluate is denied." }),
    bundleVersion: z
      .string()
      .openapi({ description: "SHA-256 of the policy bundle that decided (policies/manifest.json)." }),
    remediation: z.string().nullable().openapi({
      description: "On a deny: what would allow it, e.g. `needs role admin`.",
      example: "needs approval by another approver",
    }),
    exceptionId: z
      .string()
      .nullable()
      .openapi({ description: "The governed exception that turned a deny into this allow." }),
    decidedAt: z.string().datetime(),
  })
  .openapi("Decision");

export const getDecisionRoute = createRoute({
  method: "get",
  path: "/v1/decisions/{id}",
  operationId: "getDecision",
  summary: "Read a policy decision",
  description:
    "Every gated action stores one, allow or deny. A 403 from a policy names its `decisionId`; this returns the decision: which policies decided, under which bundle version, and what would allow it.",
  tags: ["Policy"],
  security: bearerAuth,
  request: { params: IdParams },
  responses: {
    200: { description: "The decision", content: { "application/json": { schema: DecisionSchema } } },
    ...errorResponses(404),
  },
});
