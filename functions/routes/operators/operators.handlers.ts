import type { RouteHandler } from "@hono/zod-openapi";
import type { Operator } from "../../../shared/db/schema";
import {
  getOperator,
  inviteOperator,
  listTenantOperators,
  reactivateOperator,
  suspendOperator,
  updateOperator,
} from "../../../shared/tenants/operators";
import type { AppEnv } from "../../app-env";
import type {
  getOperatorRoute,
  inviteOperatorRoute,
  listOperatorsRoute,
  reactivateOperatorRoute,
  suspendOperatorRoute,
  updateOperatorRoute,
} from "./operators.routes";

const present = (o: Operator) => ({
  id: o.id,
  email: o.email,
  subject: o.subject,
  displayName: o.displayName,
  role: o.role,
  status: o.status,
  createdAt: o.createdAt.toISOString(),
  updatedAt: o.updatedAt.toISOString(),
});

export const invite: RouteHandler<typeof inviteOperatorRoute, AppEnv> = async (c) => {
  const operator = await inviteOperator({ ctx: c.get("tenantCtx"), input: c.req.valid("json") });
  c.header("location", `/v1/operators/${operator.id}`);
  return c.json(present(operator), 201);
};

export const list: RouteHandler<typeof listOperatorsRoute, AppEnv> = async (c) => {
  const page = await listTenantOperators({ ctx: c.get("tenantCtx"), input: c.req.valid("query") });
  return c.json({ items: page.items.map(present), nextCursor: page.nextCursor }, 200);
};

export const get: RouteHandler<typeof getOperatorRoute, AppEnv> = async (c) => {
  const operator = await getOperator({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id });
  return c.json(present(operator), 200);
};

export const update: RouteHandler<typeof updateOperatorRoute, AppEnv> = async (c) => {
  const ctx = c.get("tenantCtx");
  const operator = await updateOperator({ ctx, id: c.req.valid("param").id, input: c.req.valid("json") });
  return c.json(present(operator), 200);
};

export const suspend: RouteHandler<typeof suspendOperatorRoute, AppEnv> = async (c) => {
  const operator = await suspendOperator({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id });
  return c.json(present(operator), 200);
};

export const reactivate: RouteHandler<typeof reactivateOperatorRoute, AppEnv> = async (c) => {
  const operator = await reactivateOperator({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id });
  return c.json(present(operator), 200);
};
