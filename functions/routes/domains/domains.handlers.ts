import type { RouteHandler } from "@hono/zod-openapi";
import type { TenantDomain } from "../../../shared/db/schema";
import { challengeName } from "../../../shared/identity/hosts";
import { verifyDomain } from "../../../shared/tenants/domain-verification";
import { addDomain, getDomain, listTenantDomains, removeDomain } from "../../../shared/tenants/domains";
import type { AppEnv } from "../../app-env";
import type {
  addDomainRoute,
  getDomainRoute,
  listDomainsRoute,
  removeDomainRoute,
  verifyDomainRoute,
} from "./domains.routes";

const present = (d: TenantDomain) => ({
  host: d.host,
  displayName: d.displayName,
  logoUrl: d.logoUrl,
  primaryColor: d.primaryColor,
  accentColor: d.accentColor,
  status: d.status,
  verification: { type: "dns-txt" as const, name: challengeName(d.host), value: d.verificationToken },
  verifiedAt: d.verifiedAt?.toISOString() ?? null,
  checkedAt: d.checkedAt?.toISOString() ?? null,
  checkProblem: d.checkProblem,
  createdAt: d.createdAt.toISOString(),
});

export const add: RouteHandler<typeof addDomainRoute, AppEnv> = async (c) => {
  const domain = await addDomain({ ctx: c.get("tenantCtx"), input: c.req.valid("json") });
  c.header("location", `/v1/domains/${domain.host}`);
  return c.json(present(domain), 201);
};

export const list: RouteHandler<typeof listDomainsRoute, AppEnv> = async (c) => {
  const page = await listTenantDomains({ ctx: c.get("tenantCtx"), input: c.req.valid("query") });
  return c.json({ items: page.items.map(present), nextCursor: page.nextCursor }, 200);
};

export const get: RouteHandler<typeof getDomainRoute, AppEnv> = async (c) => {
  const domain = await getDomain({ ctx: c.get("tenantCtx"), host: c.req.valid("param").host });
  return c.json(present(domain), 200);
};

export const verify: RouteHandler<typeof verifyDomainRoute, AppEnv> = async (c) => {
  const domain = await verifyDomain({ ctx: c.get("tenantCtx"), host: c.req.valid("param").host });
  return c.json(present(domain), 200);
};

export const remove: RouteHandler<typeof removeDomainRoute, AppEnv> = async (c) => {
  await removeDomain({ ctx: c.get("tenantCtx"), host: c.req.valid("param").host });
  return c.body(null, 204);
};
