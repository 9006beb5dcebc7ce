import type { RouteHandler } from "@hono/zod-openapi";
import type { SelfTest } from "../../../shared/db/schema";
import { getSelfTest, startSelfTest } from "../../../shared/self-tests/self-tests";
import type { AppEnv } from "../../app-env";
import type { createSelfTestRoute, getSelfTestRoute } from "./self-tests.routes";

const present = (t: SelfTest) => ({
  id: t.id,
  status: t.status,
  requestedBy: t.requestedBy,
  consumerRuntime: t.consumerRuntime,
  createdAt: t.createdAt.toISOString(),
  completedAt: t.completedAt?.toISOString() ?? null,
});

export const createSelfTest: RouteHandler<typeof createSelfTestRoute, AppEnv> = async (c) => {
  const selfTest = await startSelfTest({ ctx: c.get("tenantCtx") });
  c.header("location", `/v1/self-tests/${selfTest.id}`);
  return c.json(present(selfTest), 202);
};

export const readSelfTest: RouteHandler<typeof getSelfTestRoute, AppEnv> = async (c) => {
  const selfTest = await getSelfTest({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id });
  return c.json(present(selfTest), 200);
};
