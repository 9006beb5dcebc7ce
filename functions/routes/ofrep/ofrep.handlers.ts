import type { RouteHandler } from "@hono/zod-openapi";
import { isEvaluationError } from "../../../shared/flags/evaluate";
import { evaluateFlags } from "../../../shared/flags/evaluation";
import type { AppEnv } from "../../app-env";
import type { ofrepBulkRoute, ofrepEvaluateRoute } from "./ofrep.routes";

export const evaluateOne: RouteHandler<typeof ofrepEvaluateRoute, AppEnv> = async (c) => {
  const { key } = c.req.valid("param");
  const { context } = c.req.valid("json");
  const { flags } = await evaluateFlags({ ctx: c.get("tenantCtx"), input: { keys: [key], context } });
  const [evaluation] = flags;
  if (!evaluation) throw new Error("no evaluation for the key asked");
  if (!isEvaluationError(evaluation)) return c.json(evaluation, 200);
  return c.json(evaluation, evaluation.errorCode === "FLAG_NOT_FOUND" ? 404 : 400);
};

export const evaluateAll: RouteHandler<typeof ofrepBulkRoute, AppEnv> = async (c) => {
  const { context } = c.req.valid("json");
  const result = await evaluateFlags({ ctx: c.get("tenantCtx"), input: { context } });
  c.header("etag", result.etag);
  const sent = c.req.valid("header")["if-none-match"];
  if (sent?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === result.etag)) {
    return c.body(null, 304);
  }
  return c.json({ flags: result.flags, metadata: { flagSetDigest: result.setDigest } }, 200);
};
