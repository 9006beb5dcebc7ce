import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../middleware/auth";
import { requireContentType } from "../../middleware/content-type";
import { IdParams, PageQuery, pageOf } from "../../openapi/common-schemas";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";

const operatorRoles = ["admin", "operator", "approver", "auditor", "viewer"] as const;

export const OperatorSchema = z
  .object({
    id: z.string().openapi({ example: "op_8k2m4q0v7c1x3n5b9d6f" }),
    email: z.string().openapi({ example: "ana@partner.example" }),
    subject: z.string().nullable().openapi({ description: "The IdP's `sub` for this person, if known." }),
    displayName: z.string(),
    role: z.enum([...operatorRoles, "pilot-ops", "flag-admin"]),
    status: z.enum(["active", "suspended"]),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi("Operator");

const subject = z.string().trim().min(1).max(255);

export const InviteOperatorBody = z
  .object({
    email: z.email().max(254).openapi({ example: "ana@partner.example" }),
    displayName: z.string().trim().min(1).max(100).openapi({ example: "Ana Lima" }),
    role: z.enum(operatorRoles).openapi({ example: "operator" }),
    subject: subject.optional(),
  })
  .strict()
  .openapi("InviteOperator");

export const UpdateOperatorBody = z
  .object({
    role: z.enum(operatorRoles).optional(),
    displayName: z.string().trim().min(1).max(100).optional(),
    subject: subject.nullable().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "Change at least one field." })
  .openapi("UpdateOperator");

const OperatorPageQuery = PageQuery.extend({ status: z.enum(["active", "suspended"]).optional() });

const base = { security: bearerAuth, tags: ["Identity"] };
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { "application/json": { schema } } },
});

export const inviteOperatorRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/operators",
  operationId: "inviteOperator",
  summary: "Invite an operator",
  description:
    "Adds a person to this tenant with one role. They sign in with an OIDC token from the tenant's IdP, matched by email or subject (see `PUT /v1/idp`).",
  middleware: [requireRole("admin"), requireContentType("application/json")] as const,
  request: body(InviteOperatorBody),
  responses: { 201: json(OperatorSchema, "Invited"), ...errorResponses(403, 409, 413, 415) },
});

export const listOperatorsRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/operators",
  operationId: "listOperators",
  summary: "List operators",
  description: "Newest first, optionally only `active` or `suspended` ones.",
  middleware: [requireRole("admin")] as const,
  request: { query: OperatorPageQuery },
  responses: {
    200: json(pageOf(OperatorSchema, "OperatorPage"), "A page of operators"),
    ...errorResponses(403),
  },
});

export const getOperatorRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/operators/{id}",
  operationId: "getOperator",
  summary: "Read an operator",
  middleware: [requireRole("admin")] as const,
  request: { params: IdParams },
  responses: { 200: json(OperatorSchema, "The operator"), ...errorResponses(403, 404) },
});

export const updateOperatorRoute = createRoute({
  ...base,
  method: "patch",
  path: "/v1/operators/{id}",
  operationId: "updateOperator",
  summary: "Change an operator's role, name or subject",
  description: "An admin signed in as an operator cannot demote themselves.",
  middleware: [requireRole("admin"), requireContentType("application/json")] as const,
  request: { params: IdParams, ...body(UpdateOperatorBody) },
  responses: { 200: json(OperatorSchema, "Updated"), ...errorResponses(403, 404, 409, 413, 415) },
});

export const suspendOperatorRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/operators/{id}/suspend",
  operationId: "suspendOperator",
  summary: "Suspend an operator",
  description: "Their tokens are refused from the next request on. Suspending twice changes nothing.",
  middleware: [requireRole("admin")] as const,
  request: { params: IdParams },
  responses: { 200: json(OperatorSchema, "Suspended"), ...errorResponses(403, 404, 409) },
});

export const reactivateOperatorRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/operators/{id}/reactivate",
  operationId: "reactivateOperator",
  summary: "Reactivate a suspended operator",
  middleware: [requireRole("admin")] as const,
  request: { params: IdParams },
  responses: { 200: json(OperatorSchema, "Active again"), ...errorResponses(403, 404) },
});
