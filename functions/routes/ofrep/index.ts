import type { Context } from "hono";
import type { ZodError } from "zod";
import type { AppEnv } from "../../app-env";
import { problemResponse, toAppError } from "../../middleware/problem";
import { createRouter } from "../router";
import { evaluateAll, evaluateOne } from "./ofrep.handlers";
import { ofrepBulkRoute, ofrepEvaluateRoute } from "./ofrep.routes";

/** A body that does not fit is OFREP's `INVALID_CONTEXT`, not a problem document. */
const invalidContext = (
  result: { success: true } | { success: false; error: ZodError; target: string },
  c: Context<AppEnv>,
) => {
  if (result.success) return;
  const detail = result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
  return c.json(
    { key: c.req.param("key"), errorCode: "INVALID_CONTEXT" as const, errorDetails: detail },
    400,
  );
};

export const ofrepRouter = createRouter()
  .openapi(ofrepEvaluateRoute, evaluateOne, invalidContext)
  .openapi(ofrepBulkRoute, evaluateAll, invalidContext);

// A body that is not JSON is OFREP's `PARSE_ERROR`; everything else is the usual problem.
ofrepRouter.onError((error, c) => {
  const appError = toAppError(error, c);
  if (appError.code === "malformed_json") {
    return c.json({ key: c.req.param("key"), errorCode: "PARSE_ERROR", errorDetails: appError.message }, 400);
  }
  return problemResponse(c, appError);
});
