import { createRoute, z } from "@hono/zod-openapi";
import { approvalStatuses } from "../../../shared/db/schema";
import { requireContentType } from "../../middleware/content-type";
import { IdParams, PageQuery, pageOf } from "../../openapi/common-schemas";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";

export const ApprovalSchema = z
  .object({
    id: z.string(),
    subject: z.string().openapi({ example: "command:cmd_8k2m4q0v7c1x3n5b9d6f" }),
    summary: z.string(),
    status: z.enum(approvalStatuses),
    requestedBy: z.string(),
    decidedBy: z.string().nullable(),
    reason: z.string().nullable(),
    decisionId: z
      .string()
      .nullable()
      .openapi({ description: "The Cedar decision that allowed the approve / deny." }),
    requestedAt: z.string(),
    expiresAt: z.string(),
    decidedAt: z.string().nullable(),
    cycleMs: z.number().int().nullable().openapi({ description: "Requested → decided (or expired), in ms." }),
  })
  .openapi("Approval");

const Acted = ApprovalSchema.extend({ receiptId: z.string() }).openapi("ApprovalAction");

export const DenyBody = z
  .object({ reason: z.string().trim().min(1).max(2000).openapi({ example: "Not during the sale window." }) })
  .strict()
  .openapi("DenyApproval");

const base = { security: bearerAuth, tags: ["Ops"] };
const acted = (description: string) => ({ description, content: { "application/json": { schema: Acted } } });

export const listApprovalsRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/approvals",
  operationId: "listApprovals",
  summary: "List approvals, newest first",
  request: { query: PageQuery.extend({ status: z.enum(approvalStatuses).optional() }) },
  responses: {
    200: {
      description: "A page",
      content: { "application/json": { schema: pageOf(ApprovalSchema, "ApprovalPage") } },
    },
    ...errorResponses(403),
  },
});

export const getApprovalRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/approvals/{id}",
  operationId: "getApproval",
  summary: "Read an approval",
  request: { params: IdParams },
  responses: {
    200: { description: "The approval", content: { "application/json": { schema: ApprovalSchema } } },
    ...errorResponses(403, 404),
  },
});

export const approveRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/approvals/{id}/approve",
  operationId: "approve",
  summary: "Approve",
  description:
    "Cedar `approve` (approvers), four eyes: the requester's own approval is a 403 with the decision id. An approved command is dispatched; an approved run step runs.",
  request: { params: IdParams },
  responses: { 200: acted("Approved"), ...errorResponses(403, 404, 409) },
});

export const denyRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/approvals/{id}/deny",
  operationId: "deny",
  summary: "Deny, with a reason",
  description: "Cedar `approve`, four eyes. The command is cancelled; a run step's run is cancelled.",
  middleware: [requireContentType("application/json")] as const,
  request: {
    params: IdParams,
    body: { required: true, content: { "application/json": { schema: DenyBody } } },
  },
  responses: { 200: acted("Denied"), ...errorResponses(403, 404, 409, 415) },
});
