import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../middleware/auth";
import { requireContentType } from "../../middleware/content-type";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";
import {
  CreateRampPlanBody,
  EvaluateBody,
  EvaluationsSchema,
  FlagChangeSchema,
  FlagKeyParams,
  FlagListSchema,
  FlagSchema,
  FlagVersionSchema,
  FlagVersionsQuery,
  PutFlagBody,
  RampPlanSchema,
  RollbackBody,
} from "./flags.schemas";

const base = { security: bearerAuth, tags: ["Flags"] };
const json = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } } });

export const listFlagsRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/flags",
  operationId: "listFlags",
  summary: "List feature flags",
  description:
    "Every flag of this deployment with its configuration and the set's digest (for parity). Staff only.",
  middleware: [requireRole("flag-admin", "pilot-ops")] as const,
  responses: { 200: { description: "The flag set", ...json(FlagListSchema) }, ...errorResponses(403) },
});

export const getFlagRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/flags/{key}",
  operationId: "getFlag",
  summary: "Read a flag",
  middleware: [requireRole("flag-admin", "pilot-ops")] as const,
  request: { params: FlagKeyParams },
  responses: { 200: { description: "The flag", ...json(FlagSchema) }, ...errorResponses(403, 404) },
});

export const putFlagRoute = createRoute({
  ...base,
  method: "put",
  path: "/v1/flags/{key}",
  operationId: "putFlag",
  summary: "Create a flag or replace its configuration",
  description:
    "flag-admin only (Cedar `manageFlags`). A change makes a new version (before and after kept), a `flag.created` / `flag.updated` receipt in the `switchboard` tenant's log and a `flag.override.changed` receipt in each tenant whose override it changes. Sending the configuration it already has changes nothing. Every process sees the change within 30 s; this one at once.",
  middleware: [requireRole("flag-admin"), requireContentType("application/json")] as const,
  request: { params: FlagKeyParams, body: { required: true, ...json(PutFlagBody) } },
  responses: {
    200: { description: "Changed, or already so", ...json(FlagChangeSchema) },
    201: { description: "Created", ...json(FlagChangeSchema) },
    ...errorResponses(403, 409, 415, 422),
  },
});

export const listFlagVersionsRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/flags/{key}/versions",
  operationId: "listFlagVersions",
  summary: "A flag's versions, newest first",
  middleware: [requireRole("flag-admin", "pilot-ops")] as const,
  request: { params: FlagKeyParams, query: FlagVersionsQuery },
  responses: {
    200: {
      description: "Versions",
      ...json(
        z
          .object({ items: z.array(FlagVersionSchema), nextBefore: z.number().int().nullable() })
          .openapi("FlagVersionPage"),
      ),
    },
    ...errorResponses(403, 404),
  },
});

export const rollbackFlagRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/flags/{key}/rollback",
  operationId: "rollbackFlag",
  summary: "Roll a flag back to a prior version",
  description:
    "Restores exactly the configuration of `version`, as a new version, with a `flag.rolled_back` receipt (and tenant receipts for the overrides it changes). flag-admin only.",
  middleware: [requireRole("flag-admin"), requireContentType("application/json")] as const,
  request: { params: FlagKeyParams, body: { required: true, ...json(RollbackBody) } },
  responses: {
    200: { description: "Rolled back", ...json(FlagChangeSchema) },
    ...errorResponses(403, 404, 415, 422),
  },
});

export const evaluateFlagsRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/flags/evaluate",
  operationId: "evaluateFlags",
  summary: "Evaluate flags for the caller",
  description:
    "Any credential: values for its tenant (and the operator named by `operatorId` / `targetingKey`, or signed in). The same answers as OFREP (`/ofrep/v1/evaluate/flags`).",
  middleware: [requireContentType("application/json")] as const,
  request: { body: { required: true, ...json(EvaluateBody) } },
  responses: { 200: { description: "Evaluations", ...json(EvaluationsSchema) }, ...errorResponses(415) },
});

export const createRampPlanRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/flags/{key}/ramp-plan",
  operationId: "createRampPlan",
  summary: "Start a ramp plan",
  description:
    "Sets the ramp to the first step at once; the cron moves to the next step once `minDwellMinutes` have passed and the guardrails hold (5xx rate and policy-deny rate of tenants inside the ramp against those outside, over the step). A breach pauses the plan with a `flag.ramp.paused` receipt naming the guardrail and by how much. flag-admin only.",
  middleware: [requireRole("flag-admin"), requireContentType("application/json")] as const,
  request: { params: FlagKeyParams, body: { required: true, ...json(CreateRampPlanBody) } },
  responses: {
    201: { description: "Started", ...json(RampPlanSchema) },
    ...errorResponses(403, 404, 409, 415, 422),
  },
});

export const getRampPlanRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/flags/{key}/ramp-plan",
  operationId: "getRampPlan",
  summary: "The flag's latest ramp plan",
  middleware: [requireRole("flag-admin", "pilot-ops")] as const,
  request: { params: FlagKeyParams },
  responses: { 200: { description: "The plan", ...json(RampPlanSchema) }, ...errorResponses(403, 404) },
});
