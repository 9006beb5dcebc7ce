import type { RouteHandler } from "@hono/zod-openapi";
import type { DecisionRecord } from "../../../shared/db/schema";
import { getDecision } from "../../../shared/policy/decisions";
import type { AppEnv } from "../../app-env";
import type { getDecisionRoute } from "./decisions.routes";

export const presentDecision = (d: DecisionRecord) => ({
  id: d.id,
  principal: d.principal,
  action: d.action,
  resource: d.resource,
  contextDigest: d.contextDigest,
  decision: d.decision,
  determiningPolicies: d.determiningPolicies,
  errors: d.errors,
  bundleVersion: d.bundleVersion,
  remediation: d.remediation,
  exceptionId: d.exceptionId,
  decidedAt: d.decidedAt.toISOString(),
});

export const get: RouteHandler<typeof getDecisionRoute, AppEnv> = async (c) => {
  const decision = await getDecision({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id });
  return c.json(presentDecision(decision), 200);
};
