import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ImportPlan } from "../../../shared/db/schema";
import { commitPlan } from "../../../shared/imports/framework/commit/commit";
import { resumeImport } from "../../../shared/imports/framework/commit/resume";
import {
  getPlanManifest,
  manifestCsv,
  manifestJws,
  planOfImport,
} from "../../../shared/imports/framework/manifest/manifest-view";
import { createPlan } from "../../../shared/imports/framework/plan/dry-run";
import { revertImport } from "../../../shared/imports/framework/revert/revert";
import { getImport, importSummary } from "../../../shared/imports/framework/views/import-view";
import { listImports } from "../../../shared/imports/framework/views/imports-list";
import { getPlan, listPlanRows, planSummary } from "../../../shared/imports/framework/views/plan-view";
import type { AppEnv } from "../../app-env";
import type {
  commitPlanRoute,
  createPlanRoute,
  getImportManifestRoute,
  getImportRoute,
  getPlanManifestRoute,
  getPlanRoute,
  listImportsRoute,
  listPlanRowsRoute,
  resumeImportRoute,
  revertImportRoute,
} from "./imports.routes";
import { planInput } from "./plan-request";

const mediaType = (c: Context<AppEnv>) =>
  (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";

export const createImportPlan: RouteHandler<typeof createPlanRoute, AppEnv> = async (c) => {
  const ctx = c.get("tenantCtx");
  const body = new Uint8Array(await c.req.arrayBuffer());
  const input = planInput({
    query: c.req.valid("query"),
    mediaType: mediaType(c),
    header: (n) => c.req.header(n),
    body,
  });
  const { plan, created } = await createPlan({ ctx, input });
  c.header("location", `/v1/imports/plans/${plan.id}`);
  return c.json(await planSummary(ctx, plan), created ? 201 : 200);
};

export const getImportPlan: RouteHandler<typeof getPlanRoute, AppEnv> = async (c) => {
  const ctx = c.get("tenantCtx");
  return c.json(await planSummary(ctx, await getPlan({ ctx, id: c.req.valid("param").id })), 200);
};

export const listImportPlanRows: RouteHandler<typeof listPlanRowsRoute, AppEnv> = async (c) => {
  const page = await listPlanRows({
    ctx: c.get("tenantCtx"),
    id: c.req.valid("param").id,
    input: c.req.valid("query"),
  });
  return c.json(page, 200);
};

async function manifestResponse(c: Context<AppEnv>, plan: ImportPlan, format: "jws" | "json" | "csv") {
  const ctx = c.get("tenantCtx");
  if (format === "csv") {
    c.header("content-disposition", `attachment; filename="rejects-${plan.id}.csv"`);
    return c.body(await manifestCsv(ctx, plan), 200, { "content-type": "text/csv; charset=utf-8" });
  }
  const jws = await manifestJws(ctx, plan);
  if (format === "json") return c.json({ jws, digest: plan.manifestDigest }, 200);
  return c.body(jws, 200, { "content-type": "application/jose" });
}

export const getImportPlanManifest: RouteHandler<typeof getPlanManifestRoute, AppEnv> = async (c) => {
  const plan = await getPlanManifest({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id });
  return manifestResponse(c, plan, c.req.valid("query").format) as never;
};

export const getImportManifest: RouteHandler<typeof getImportManifestRoute, AppEnv> = async (c) => {
  const plan = await planOfImport(c.get("tenantCtx"), c.req.valid("param").id);
  return manifestResponse(c, plan, c.req.valid("query").format) as never;
};

export const commitImportPlan: RouteHandler<typeof commitPlanRoute, AppEnv> = async (c) => {
  const ctx = c.get("tenantCtx");
  const result = await commitPlan({ ctx, id: c.req.valid("param").id });
  c.header("location", `/v1/imports/${result.import.id}`);
  return c.json(await importSummary(ctx, result.import), result.created ? 202 : 200);
};

export const listImportsHandler: RouteHandler<typeof listImportsRoute, AppEnv> = async (c) =>
  c.json(await listImports({ ctx: c.get("tenantCtx"), input: c.req.valid("query") }), 200);

export const getImportStatus: RouteHandler<typeof getImportRoute, AppEnv> = async (c) => {
  return c.json(await getImport({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id }), 200);
};

export const revertImportHandler: RouteHandler<typeof revertImportRoute, AppEnv> = async (c) => {
  const ctx = c.get("tenantCtx");
  const result = await revertImport({ ctx, id: c.req.valid("param").id });
  return c.json(await importSummary(ctx, result.import), result.created ? 202 : 200);
};

export const resumeImportHandler: RouteHandler<typeof resumeImportRoute, AppEnv> = async (c) => {
  return c.json(await resumeImport({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id }), 202);
};
