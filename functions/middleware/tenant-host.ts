/**
 * White-label hosts: looks the request's Host up among tenant domains once per
 * request, so authentication can hold the credential to it and `/branding` can
 * answer with the partner's look. The Host only ever narrows access: it can make
 * a credential be refused, never accepted.
 */
import { createMiddleware } from "hono/factory";
import type { Tenant, TenantDomain } from "../../shared/db/schema";
import { requestHost } from "../../shared/identity/hosts";
import { findVerifiedDomainByHost } from "../../shared/tenants/domains-repo";
import type { AppEnv } from "../app-env";

export interface HostMatch {
  host: string;
  /** Null when the host is not a verified white-label domain (a pending one routes nothing). */
  domain: TenantDomain | null;
  tenant: Tenant | null;
}

declare module "hono" {
  interface ContextVariableMap {
    /** Set by `resolveTenantHost` (after `withDatabase`). */
    hostMatch: HostMatch;
  }
}

export const resolveTenantHost = createMiddleware<AppEnv>(async (c, next) => {
  const host = requestHost(c.req.url);
  const found = await findVerifiedDomainByHost(c.get("ctx").db, host);
  c.set("hostMatch", { host, domain: found?.domain ?? null, tenant: found?.tenant ?? null });
  await next();
});
