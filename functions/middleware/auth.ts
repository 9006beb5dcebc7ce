import { createMiddleware } from "hono/factory";
import type { Role } from "../../shared/db/schema";
import { AppError } from "../../shared/errors/app-error";
import { authenticateApiKey } from "../../shared/tenants/api-keys";
import type { AppEnv } from "../app-env";

/** Resolves the bearer credential to a tenant and an actor for everything under /v1. */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization");
  if (!header) {
    throw new AppError("unauthenticated", "Send an API key as `Authorization: Bearer <key>`.", {
      headers: { "www-authenticate": 'Bearer realm="switchboard"' },
    });
  }
  const [scheme, secret] = header.split(/\s+/, 2);
  if (scheme?.toLowerCase() !== "bearer" || !secret) {
    throw new AppError("invalid_credential", "Use the Bearer scheme: `Authorization: Bearer <key>`.", {
      headers: { "www-authenticate": 'Bearer realm="switchboard", error="invalid_request"' },
    });
  }
  const ctx = c.get("ctx");
  const { tenant, actor } = await authenticateApiKey({ ctx, secret });
  c.set("tenantCtx", {
    ...ctx,
    tenant,
    actor,
    logger: ctx.logger.child({ tenantId: tenant.id, actorId: actor.id }),
  });
  await next();
});

/** Coarse role check, declared in the route definition so the contract shows it. */
export function requireRole(...allowed: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { actor } = c.get("tenantCtx");
    if (!allowed.includes(actor.role)) {
      throw new AppError(
        "forbidden",
        `This needs the ${allowed.join(" or ")} role; the credential has ${actor.role}.`,
      );
    }
    await next();
  });
}
