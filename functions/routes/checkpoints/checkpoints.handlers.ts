import type { RouteHandler } from "@hono/zod-openapi";
import {
  checkpointConsistency,
  issueCheckpoint,
  latestCheckpoint,
  listCheckpoints,
} from "../../../shared/receipts/checkpoints";
import type { AppEnv } from "../../app-env";
import type {
  checkpointConsistencyRoute,
  issueCheckpointRoute,
  latestCheckpointRoute,
  listCheckpointsRoute,
} from "./checkpoints.routes";

export const getCheckpoints: RouteHandler<typeof listCheckpointsRoute, AppEnv> = async (c) => {
  return c.json(await listCheckpoints({ ctx: c.get("tenantCtx"), input: c.req.valid("query") }), 200);
};

export const getLatestCheckpoint: RouteHandler<typeof latestCheckpointRoute, AppEnv> = async (c) => {
  return c.json(await latestCheckpoint({ ctx: c.get("tenantCtx") }), 200);
};

export const postCheckpoint: RouteHandler<typeof issueCheckpointRoute, AppEnv> = async (c) => {
  const { checkpoint, created } = await issueCheckpoint({ ctx: c.get("tenantCtx") });
  return created ? c.json(checkpoint, 201) : c.json(checkpoint, 200);
};

export const getConsistency: RouteHandler<typeof checkpointConsistencyRoute, AppEnv> = async (c) => {
  return c.json(await checkpointConsistency({ ctx: c.get("tenantCtx"), input: c.req.valid("query") }), 200);
};
