/** Every error leaves as one RFC 9457 problem shape, whatever threw it. */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import { AppError, type FieldProblem } from "../../shared/errors/app-error";
import { isUnavailable, retryAfterSeconds } from "../../shared/platform/unavailable";
import type { AppEnv } from "../app-env";

export function problemResponse(c: Context<AppEnv>, error: AppError): Response {
  const { headers, errors, ...members } = error.extras;
  const body = {
    type: `urn:switchboard:problem:${error.code}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    code: error.code,
    instance: new URL(c.req.url).pathname,
    requestId: c.get("requestId") ?? "",
    ...(errors ? { errors } : {}),
    ...members,
  };
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: {
      "content-type": "application/problem+json",
      "x-request-id": c.get("requestId") ?? "",
      ...(headers ?? {}),
    },
  });
}

/** Maps anything thrown to an AppError; unknown errors become `internal` and are logged, never shown. */
export function toAppError(error: unknown, c: Context<AppEnv>): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 400 && /json/i.test(error.message)) {
      return new AppError("malformed_json", "The request body is not valid JSON.");
    }
    if (error.status === 413) return new AppError("payload_too_large", "The request body is too large.");
    if (error.status === 401)
      return new AppError("unauthenticated", error.message || "Authentication required.");
    return new AppError("bad_request", error.message || "Bad request.");
  }
  if (isUnavailable(error)) {
    // The database or the object store is down or restarting: the client should come back.
    c.get("logger")?.warn("dependency unavailable", {
      error: error instanceof Error ? error.message : String(error),
      cause: error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined,
    });
    return new AppError("unavailable", "A service this request needs is not reachable; try again shortly.", {
      headers: { "retry-after": String(retryAfterSeconds) },
    });
  }
  c.get("logger")?.error("unhandled error", {
    error: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? error.stack : undefined,
  });
  return new AppError("internal", "An unexpected error occurred. Quote the request id when reporting it.");
}

export function zodToFieldProblems(error: ZodError, part: FieldProblem["in"]): FieldProblem[] {
  return error.issues.map((issue) => ({
    pointer: `/${issue.path.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`,
    in: part,
    code: issue.code,
    message: issue.message,
  }));
}

const targetToPart: Record<string, FieldProblem["in"]> = {
  json: "body",
  form: "body",
  query: "query",
  param: "path",
  header: "header",
};

/** zod-openapi's defaultHook: validation failures become `validation_failed` with field problems. */
export function validationHook(
  result: { success: true } | { success: false; error: ZodError; target: string },
): void {
  if (result.success) return;
  const part = targetToPart[result.target] ?? "body";
  throw new AppError("validation_failed", `The request ${part} did not pass validation.`, {
    errors: zodToFieldProblems(result.error, part),
  });
}
