import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Role } from "../../shared/db/schema";
import { AppError } from "../../shared/errors/app-error";
import { resolveCaller } from "../../shared/identity/resolve";
import { actorRoles } from "../../shared/identity/roles";
import { isSafeMethod, slugPattern, TENANT_HEADER } from "../../shared/identity/staff";
import { refuseStaffWrite } from "../../shared/identity/staff-writes";
import type { AppEnv } from "../app-env";
import { limitAuthFailure, limitCredential } from "./rate-limit";

/**
 * Resolves the bearer credential (API key or OIDC JWT), the white-label Host and
 * `x-switchboard-tenant` to the tenant and actor of everything under /v1. An unsafe request
 * by Switchboard staff ends here, denied by Cedar in the tenant it targeted. Failed attempts
 * count against the client's address; every request then counts against its credential.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const ctx = c.get("ctx");
  const hostTenant = c.get("hostMatch")?.tenant ?? undefined;
  let caller: Awaited<ReturnType<typeof resolveCaller>>;
  try {
    const credential = bearer(c.req.header("authorization"));
    caller = await resolveCaller({ ctx, input: { credential, hostTenant, tenantSlug: tenantHeader(c) } });
  } catch (error) {
    throw (await limitAuthFailure(c, error)) ?? error;
  }
  const { tenant, actor, home } = caller;
  await limitCredential(c.get("platform").rateLimits.perCredential, actor);
  const method = c.req.method;
  const crossTenant = home.id !== tenant.id ? { homeTenantId: home.id } : {};
  const logger = ctx.logger.child({ tenantId: tenant.id, actorId: actor.id, ...crossTenant });
  const tenantCtx = { ...ctx, tenant, actor, logger };
  const staffWrite = actor.role === "pilot-ops" && !isSafeMethod(method);
  // A cross-tenant request is always on the record, whatever the route logs.
  if (home.id !== tenant.id) {
    logger.info(staffWrite ? "pilot-ops cross-tenant write refused" : "pilot-ops cross-tenant read", {
      method,
      path: new URL(c.req.url).pathname,
    });
  }
  if (staffWrite) await refuseStaffWrite({ ctx: tenantCtx });
  c.set("tenantCtx", tenantCtx);
  await next();
});

function bearer(header: string | undefined): string {
  if (!header) {
    throw new AppError(
      "unauthenticated",
      "Send an API key or an OIDC token as `Authorization: Bearer <credential>`.",
      { headers: { "www-authenticate": 'Bearer realm="switchboard"' } },
    );
  }
  const [scheme, credential] = header.split(/\s+/, 2);
  if (scheme?.toLowerCase() !== "bearer" || !credential) {
    throw new AppError("invalid_credential", "Use the Bearer scheme: `Authorization: Bearer <credential>`.", {
      headers: { "www-authenticate": 'Bearer realm="switchboard", error="invalid_request"' },
    });
  }
  return credential;
}

function tenantHeader(c: Context<AppEnv>): string | undefined {
  const value = c.req.header(TENANT_HEADER)?.trim().toLowerCase();
  if (value === undefined || value === "") return undefined;
  if (!slugPattern.test(value)) {
    throw new AppError("bad_request", `\`${TENANT_HEADER}\` must be a tenant slug such as \`acme\`.`);
  }
  return value;
}

/**
 * Coarse role check, declared in the route definition so the contract shows it: any role the
 * caller holds will do. A pilot-ops caller passes on safe methods: staff read everything, and
 * `authenticate` has already refused its every write.
 */
export function requireRole(...allowed: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { actor } = c.get("tenantCtx");
    const staffRead = actor.role === "pilot-ops" && isSafeMethod(c.req.method);
    if (!staffRead && !actorRoles(actor).some((role) => allowed.includes(role))) {
      throw new AppError(
        "forbidden",
        `This needs the ${allowed.join(" or ")} role; the credential has ${actor.role}.`,
      );
    }
    await next();
  });
}
