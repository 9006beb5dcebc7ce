import { createRoute } from "@hono/zod-openapi";
import { requireRole } from "../../middleware/auth";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";
import { ReceivedUploadSchema, UploadBody, UploadIdParams, UploadSchema } from "./imports.schemas";

const imports = { security: bearerAuth, tags: ["Imports"] };

export const createUploadRoute = createRoute({
  ...imports,
  method: "post",
  path: "/v1/imports/uploads",
  operationId: "createImportUpload",
  summary: "Get an upload URL for a large import file",
  description:
    "A slot for one file up to 50 MiB for 15 minutes. `direct: true`: PUT the file to `url` (a presigned object-store URL, no credential). `direct: false` (a store that cannot presign): PUT it to `url` on this API with your admin key. Then `POST /v1/imports` with `{kind, format, upload: id}`.",
  middleware: [requireRole("admin")] as const,
  request: { body: { required: false, content: { "application/json": { schema: UploadBody } } } },
  responses: {
    201: { description: "Upload slot", content: { "application/json": { schema: UploadSchema } } },
    ...errorResponses(403),
  },
});

export const receiveUploadRoute = createRoute({
  ...imports,
  method: "put",
  path: "/v1/imports/uploads/{id}",
  operationId: "putImportUpload",
  summary: "Upload the file (stores that cannot presign)",
  description:
    "The body is the file, streamed to the object store as it arrives (any size up to the slot's `maxBytes`, with or without a Content-Length). Once per slot, before it expires. Over the limit: 413, nothing is kept, and the slot takes another PUT.",
  middleware: [requireRole("admin")] as const,
  request: { params: UploadIdParams },
  responses: {
    201: {
      description: "Stored",
      content: { "application/json": { schema: ReceivedUploadSchema } },
    },
    ...errorResponses(403, 404, 409, 413),
  },
});
