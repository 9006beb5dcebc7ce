/**
 * The OpenFeature Remote Evaluation Protocol (OFREP 0.3): any OpenFeature SDK with an OFREP
 * provider reads Switchboard's flags here. Bodies and errors are OFREP's own shapes, not
 * problem+json (authentication failures still are).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { requireContentType } from "../../middleware/content-type";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";
import { EvaluationContextSchema, FlagValueSchema } from "../flags/flags.schemas";

const base = { security: bearerAuth, tags: ["OFREP"] };

export const OfrepRequest = z
  .object({ context: EvaluationContextSchema.default({}) })
  .openapi("OfrepEvaluationRequest");

const metadata = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

export const OfrepSuccess = z
  .object({
    key: z.string(),
    value: FlagValueSchema,
    reason: z.enum(["STATIC", "TARGETING_MATCH", "SPLIT", "DISABLED", "UNKNOWN"]),
    variant: z.string(),
    metadata: metadata.optional(),
  })
  .openapi("OfrepEvaluationSuccess");

export const OfrepFailure = z
  .object({
    key: z.string().optional(),
    errorCode: z.enum([
      "PARSE_ERROR",
      "TARGETING_KEY_MISSING",
      "INVALID_CONTEXT",
      "GENERAL",
      "FLAG_NOT_FOUND",
    ]),
    errorDetails: z.string().optional(),
    metadata: metadata.optional(),
  })
  .openapi("OfrepEvaluationFailure");

const json = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } } });
const { 400: _problem400, ...authErrors } = errorResponses(403);

export const ofrepEvaluateRoute = createRoute({
  ...base,
  method: "post",
  path: "/ofrep/v1/evaluate/flags/{key}",
  operationId: "ofrepEvaluateFlag",
  summary: "OFREP: evaluate one flag",
  description:
    "For server-side OpenFeature providers. The tenant is the credential's; `context.targetingKey` names the operator for operator overrides and operator-sticky ramps.",
  middleware: [requireContentType("application/json")] as const,
  request: {
    params: z.object({
      key: z
        .string()
        .max(100)
        .openapi({ param: { name: "key", in: "path" }, example: "checkout-v2" }),
    }),
    body: { required: true, ...json(OfrepRequest) },
  },
  responses: {
    200: { description: "Evaluated", ...json(OfrepSuccess) },
    400: {
      description: "Invalid context, or a targeting key the flag needs is missing",
      ...json(OfrepFailure),
    },
    404: { description: "No such flag (`FLAG_NOT_FOUND`)", ...json(OfrepFailure) },
    ...authErrors,
  },
});

export const ofrepBulkRoute = createRoute({
  ...base,
  method: "post",
  path: "/ofrep/v1/evaluate/flags",
  operationId: "ofrepEvaluateFlags",
  summary: "OFREP: evaluate every flag",
  description:
    "For client-side providers. The answer carries an `ETag` over the flag set's digest and the context; send it back in `If-None-Match` and an unchanged configuration answers 304 with no body.",
  middleware: [requireContentType("application/json")] as const,
  request: {
    headers: z.object({ "if-none-match": z.string().max(200).optional() }),
    body: { required: true, ...json(OfrepRequest) },
  },
  responses: {
    200: {
      description: "Every flag, evaluated",
      headers: z.object({ etag: z.string() }),
      ...json(
        z
          .object({ flags: z.array(z.union([OfrepSuccess, OfrepFailure])), metadata: metadata.optional() })
          .openapi("OfrepBulkEvaluation"),
      ),
    },
    304: { description: "Not modified: the configuration and context are those of the ETag sent" },
    400: { description: "Invalid context", ...json(OfrepFailure) },
    ...authErrors,
  },
});
