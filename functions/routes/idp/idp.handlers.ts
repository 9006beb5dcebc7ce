import type { RouteHandler } from "@hono/zod-openapi";
import type { IdpSettings } from "../../../shared/db/schema";
import { configureIdp, getIdp, removeIdp } from "../../../shared/tenants/idp";
import type { AppEnv } from "../../app-env";
import type { deleteIdpRoute, getIdpRoute, putIdpRoute } from "./idp.routes";

const present = (s: IdpSettings) => ({
  issuer: s.issuer,
  audience: s.audience,
  jwksUrl: s.jwksUrl,
  matchBy: s.matchBy,
  updatedAt: s.updatedAt.toISOString(),
});

export const put: RouteHandler<typeof putIdpRoute, AppEnv> = async (c) => {
  const { idp, receiptId } = await configureIdp({ ctx: c.get("tenantCtx"), input: c.req.valid("json") });
  c.header("x-receipt-id", receiptId);
  return c.json({ ...present(idp), receiptId }, 200);
};

export const get: RouteHandler<typeof getIdpRoute, AppEnv> = async (c) =>
  c.json(present(await getIdp({ ctx: c.get("tenantCtx") })), 200);

export const remove: RouteHandler<typeof deleteIdpRoute, AppEnv> = async (c) => {
  const { receiptId } = await removeIdp({ ctx: c.get("tenantCtx") });
  c.header("x-receipt-id", receiptId);
  return c.body(null, 204);
};
