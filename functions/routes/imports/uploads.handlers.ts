import type { RouteHandler } from "@hono/zod-openapi";
import { createUpload, receiveUpload } from "../../../shared/imports/framework/sources/uploads";
import type { AppEnv } from "../../app-env";
import type { createUploadRoute, receiveUploadRoute } from "./uploads.routes";

export const createImportUpload: RouteHandler<typeof createUploadRoute, AppEnv> = async (c) => {
  const upload = await createUpload({ ctx: c.get("tenantCtx"), input: c.req.valid("json") ?? {} });
  return c.json(upload, 201);
};

export const putImportUpload: RouteHandler<typeof receiveUploadRoute, AppEnv> = async (c) => {
  const length = c.req.header("content-length");
  const stored = await receiveUpload({
    ctx: c.get("tenantCtx"),
    id: c.req.valid("param").id,
    body: c.req.raw.body,
    declaredBytes: length === undefined ? undefined : Number(length),
  });
  return c.json(stored, 201);
};
