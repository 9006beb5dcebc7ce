import type { RouteHandler } from "@hono/zod-openapi";
import { launchRun } from "../../../shared/ops/runbook-runs/runs";
import {
  addVersion,
  createRunbook,
  getRunbook,
  listRunbooks,
  listRunbookVersions,
} from "../../../shared/ops/runbooks/runbooks";
import type { AppEnv } from "../../app-env";
import type {
  addVersionRoute,
  createRunbookRoute,
  getRunbookRoute,
  launchRunRoute,
  listRunbooksRoute,
  listVersionsRoute,
} from "./runbooks.routes";

export const list: RouteHandler<typeof listRunbooksRoute, AppEnv> = async (c) =>
  c.json(await listRunbooks({ ctx: c.get("tenantCtx"), input: c.req.valid("query") }), 200);

export const create: RouteHandler<typeof createRunbookRoute, AppEnv> = async (c) => {
  const { runbook, receiptId } = await createRunbook({ ctx: c.get("tenantCtx"), input: c.req.valid("json") });
  c.header("location", `/v1/runbooks/${runbook.id}`);
  return c.json({ ...runbook, receiptId }, 201);
};

export const get: RouteHandler<typeof getRunbookRoute, AppEnv> = async (c) =>
  c.json(await getRunbook({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id }), 200);

export const versions: RouteHandler<typeof listVersionsRoute, AppEnv> = async (c) =>
  c.json(await listRunbookVersions({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id }), 200);

export const version: RouteHandler<typeof addVersionRoute, AppEnv> = async (c) => {
  const id = c.req.valid("param").id;
  const { runbook, receiptId } = await addVersion({
    ctx: c.get("tenantCtx"),
    id,
    input: c.req.valid("json"),
  });
  return c.json({ ...runbook, receiptId }, 201);
};

export const launch: RouteHandler<typeof launchRunRoute, AppEnv> = async (c) => {
  const runbookId = c.req.valid("param").id;
  const done = await launchRun({ ctx: c.get("tenantCtx"), runbookId, input: c.req.valid("json") });
  c.header("location", `/v1/runbook-runs/${done.run.id}`);
  return c.json({ ...done.run, receiptId: done.receiptId, decisionId: done.decisionId }, 201);
};
