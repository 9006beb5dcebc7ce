import { z } from "@hono/zod-openapi";
import { type ErrorCode, errorCodes } from "../../shared/errors/app-error";

export const FieldProblemSchema = z.object({
  pointer: z.string().openapi({ example: "/name" }),
  in: z.enum(["body", "query", "path", "header"]),
  code: z.string().openapi({ example: "too_small" }),
  message: z.string(),
});

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "urn:switchboard:problem:validation_failed" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]),
    instance: z.string().openapi({ example: "/v1/self-tests/st_x" }),
    requestId: z.string(),
    errors: z.array(FieldProblemSchema).optional(),
    decisionId: z.string().optional(),
    receiptId: z.string().optional(),
    remediation: z
      .string()
      .optional()
      .openapi({ description: "On a policy deny: what would allow it, e.g. `needs role admin`." }),
  })
  .openapi("Problem", { description: "An RFC 9457 problem. `code` is stable; `detail` is for people." });

const problemContent = { "application/problem+json": { schema: ProblemSchema } };

const descriptions: Record<number, string> = {
  400: "The request is malformed or did not pass validation.",
  401: "No credential, or the credential was not accepted.",
  403: "The credential may not do this.",
  404: "Nothing with that id in this tenant.",
  409: "Conflicts with the current state.",
  413: "The body is over the size limit.",
  415: "The body's media type is not accepted here.",
  422: "Understood but cannot be applied.",
  429: "Too many requests; retry after the `Retry-After` seconds.",
  500: "Something failed on our side; quote the request id.",
  503: "The database or the object store is not reachable right now; retry after the `Retry-After` seconds.",
};

/** Error responses declared once and spread into each route. */
export function errorResponses(...statuses: number[]) {
  const all = [400, 401, 429, 500, 503, ...statuses];
  return Object.fromEntries(
    [...new Set(all)].map((status) => [
      status,
      { description: descriptions[status] ?? "Error", content: problemContent },
    ]),
  );
}

export const publicErrorResponses = {
  500: { description: descriptions[500] ?? "Error", content: problemContent },
  503: { description: descriptions[503] ?? "Error", content: problemContent },
};
