import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../middleware/auth";
import { idempotency } from "../../middleware/idempotency";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";
import {
  CreatePlanQuery,
  ImportIdParams,
  ImportListQuery,
  ImportPageSchema,
  ImportSchema,
  ManifestQuery,
  PlanIdParams,
  PlanReferenceBody,
  PlanSchema,
  RowPageResponse,
  RowsQuery,
} from "./imports.schemas";
import { inlineMediaTypes } from "./plan-request";

const imports = { security: bearerAuth, tags: ["Imports"] };
const idempotencyHeader = z.object({
  "idempotency-key": z.string().optional().openapi({
    description: "Retry safely: the same key and request replay the first response (24 h).",
    example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"',
  }),
});
const fileSchema = { type: "string" as const, description: "The file, as it is." };
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const manifestContent = {
  "application/jose": {
    schema: { type: "string" as const, description: "Compact JWS of an in-toto v1 Statement." },
  },
  "application/json": { schema: z.object({ jws: z.string(), digest: z.string() }) },
  "text/csv": { schema: { type: "string" as const } },
};

export const createPlanRoute = createRoute({
  ...imports,
  method: "post",
  path: "/v1/imports",
  operationId: "createImportPlan",
  summary: "Dry-run an import: plan it",
  description:
    "Parses the file, validates every row, diffs it against this tenant's state by natural key and stores a plan: create / update (field-level before → after) / unchanged / reject / conflict, each row with the policy decision it gets. Send the file inline (up to the API body limit, MAX_BODY_BYTES, 5 MiB by default) with `kind` in the query and its Content-Type (text/csv, application/json, application/scim+json, application/yaml), or a JSON body naming an upload (`POST /v1/imports/uploads`, up to 50 MiB) or an earlier source. The plan id is content-addressed: the same file planned against the same state returns the same plan (200). Rows granting the admin role planned by a non-admin are `policy_denied` rejects.",
  middleware: [requireRole("admin", "operator"), idempotency] as const,
  request: {
    query: CreatePlanQuery,
    headers: idempotencyHeader,
    body: {
      required: true,
      content: {
        ...Object.fromEntries(
          inlineMediaTypes.filter((t) => t !== "application/json").map((t) => [t, { schema: fileSchema }]),
        ),
        "application/json": {
          schema: { oneOf: [fileSchema, { $ref: "#/components/schemas/ImportPlanReference" }] },
        },
      },
    },
  },
  responses: {
    200: json(PlanSchema, "This plan already existed"),
    201: json(PlanSchema, "Planned"),
    ...errorResponses(403, 404, 409, 413, 415, 422),
  },
});

export const getPlanRoute = createRoute({
  ...imports,
  method: "get",
  path: "/v1/imports/plans/{id}",
  operationId: "getImportPlan",
  summary: "Read a plan",
  middleware: [requireRole("admin", "operator")] as const,
  request: { params: PlanIdParams },
  responses: { 200: json(PlanSchema, "The plan"), ...errorResponses(403, 404) },
});

export const listPlanRowsRoute = createRoute({
  ...imports,
  method: "get",
  path: "/v1/imports/plans/{id}/rows",
  operationId: "listImportPlanRows",
  summary: "Page through a plan's rows of one class",
  middleware: [requireRole("admin", "operator")] as const,
  request: { params: PlanIdParams, query: RowsQuery },
  responses: { 200: json(RowPageResponse, "A page of rows"), ...errorResponses(403, 404) },
});

const manifestDescription =
  "The rejected rows (row, field, code, message, fix hint, decision id) as an in-toto v1 Statement signed as a compact JWS (`typ: in-toto+jws`); verify it with /.well-known/jwks.json. `?format=csv`: the rejected rows with their original values and a `reason` column, formula-safe; fix it and POST it again to plan only those rows.";

export const getPlanManifestRoute = createRoute({
  ...imports,
  method: "get",
  path: "/v1/imports/plans/{id}/manifest",
  operationId: "getImportPlanManifest",
  summary: "The plan's signed error manifest",
  description: manifestDescription,
  middleware: [requireRole("admin", "operator")] as const,
  request: { params: PlanIdParams, query: ManifestQuery },
  responses: { 200: { description: "The manifest", content: manifestContent }, ...errorResponses(403, 404) },
});

export const commitPlanRoute = createRoute({
  ...imports,
  method: "post",
  path: "/v1/imports/plans/{id}/commit",
  operationId: "commitImportPlan",
  summary: "Commit a plan",
  description:
    "Applies exactly this plan, chunk by chunk through the queue (each chunk one transaction); poll the import. Committing a plan again, concurrently or later, returns the same import; committing a plan that changes nothing returns the import that already applied this content, with its receipt. A plan whose rows changed since it was made is refused (409 `staleRows`, `replan`). While an import of the kind is applying, other plans of it are refused (409).",
  middleware: [requireRole("admin"), idempotency] as const,
  request: { params: PlanIdParams, headers: idempotencyHeader },
  responses: {
    200: json(ImportSchema, "Already committed"),
    202: json(ImportSchema, "Accepted: applying"),
    ...errorResponses(403, 404, 409, 422),
  },
});

export const listImportsRoute = createRoute({
  ...imports,
  method: "get",
  path: "/v1/imports",
  operationId: "listImports",
  summary: "List imports, newest first",
  description:
    "This tenant's imports (commits of plans), newest first, in cursor pages; filter by `kind` and `status`. Every tenant role may read it. Each item carries its source digest, counts and progress; `GET /v1/imports/{id}` adds the per-chunk detail.",
  middleware: [requireRole("admin", "operator", "approver", "auditor", "viewer")] as const,
  request: { query: ImportListQuery },
  responses: { 200: json(ImportPageSchema, "A page of imports"), ...errorResponses(403) },
});

export const getImportRoute = createRoute({
  ...imports,
  method: "get",
  path: "/v1/imports/{id}",
  operationId: "getImport",
  summary: "Status and progress of an import",
  description: "Every tenant role may read it, as it may list imports.",
  middleware: [requireRole("admin", "operator", "approver", "auditor", "viewer")] as const,
  request: { params: ImportIdParams },
  responses: { 200: json(ImportSchema, "The import"), ...errorResponses(403, 404) },
});

export const getImportManifestRoute = createRoute({
  ...imports,
  method: "get",
  path: "/v1/imports/{id}/manifest",
  operationId: "getImportManifest",
  summary: "The committed import's signed error manifest",
  description: manifestDescription,
  middleware: [requireRole("admin", "operator")] as const,
  request: { params: ImportIdParams, query: ManifestQuery },
  responses: { 200: { description: "The manifest", content: manifestContent }, ...errorResponses(403, 404) },
});

export const revertImportRoute = createRoute({
  ...imports,
  method: "post",
  path: "/v1/imports/{id}/revert",
  operationId: "revertImport",
  summary: "Revert an import",
  description:
    "Deletes the rows it created and sets back the fields it changed, while no later change touched them (else 409 listing `touchedRows`, and nothing is reverted). Policy-gated. Runs chunk by chunk through the queue like a commit (each chunk one transaction, an `import.revert.chunk` receipt each, `import.reverted` at the end): 202 with status `reverting`; poll the import. While it reverts, no import of the kind applies (409 `import_in_progress`). Asking again while it reverts re-queues what is left (a parked chunk included) and answers 200; once reverted it answers 200 with the import.",
  middleware: [requireRole("admin"), idempotency] as const,
  request: { params: ImportIdParams, headers: idempotencyHeader },
  responses: {
    200: json(ImportSchema, "Reverted already, or still reverting"),
    202: json(ImportSchema, "Accepted: reverting"),
    ...errorResponses(403, 404, 409, 422),
  },
});

export const resumeImportRoute = createRoute({
  ...imports,
  method: "post",
  path: "/v1/imports/{id}/resume",
  operationId: "resumeImport",
  summary: "Resume a failed import",
  description: "Re-queues its dead and pending chunks; applied chunks are never applied twice.",
  middleware: [requireRole("admin"), idempotency] as const,
  request: { params: ImportIdParams, headers: idempotencyHeader },
  responses: { 202: json(ImportSchema, "Re-queued"), ...errorResponses(403, 404, 409) },
});

export { PlanReferenceBody };
