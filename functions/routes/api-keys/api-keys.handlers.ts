import type { RouteHandler } from "@hono/zod-openapi";
import type { ApiKey } from "../../../shared/db/schema";
import { issueApiKey, listTenantApiKeys, revokeApiKey } from "../../../shared/tenants/api-key-admin";
import type { AppEnv } from "../../app-env";
import type { createApiKeyRoute, listApiKeysRoute, revokeApiKeyRoute } from "./api-keys.routes";

const present = (k: ApiKey) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  role: k.role,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

export const createApiKey: RouteHandler<typeof createApiKeyRoute, AppEnv> = async (c) => {
  const { key, secret } = await issueApiKey({ ctx: c.get("tenantCtx"), input: c.req.valid("json") });
  c.header("location", `/v1/api-keys/${key.id}`);
  return c.json({ ...present(key), secret }, 201);
};

export const listApiKeys: RouteHandler<typeof listApiKeysRoute, AppEnv> = async (c) => {
  const page = await listTenantApiKeys({ ctx: c.get("tenantCtx"), input: c.req.valid("query") });
  return c.json({ items: page.items.map(present), nextCursor: page.nextCursor }, 200);
};

export const revokeKey: RouteHandler<typeof revokeApiKeyRoute, AppEnv> = async (c) => {
  const key = await revokeApiKey({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id });
  return c.json(present(key), 200);
};
