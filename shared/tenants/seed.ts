import type { Ctx } from "../context/context";
import { AppError } from "../errors/app-error";
import { newId } from "../ids/ids";
import { createApiKey } from "./api-keys";
import { findTenantBySlug, insertTenant } from "./tenant-repo";

/** Creates a tenant with one admin API key; the secret is returned once. */
export async function createTenantWithAdminKey({
  ctx,
  input,
}: {
  ctx: Pick<Ctx, "db" | "clock">;
  input: { slug: string; name: string };
}): Promise<{ tenantId: string; slug: string; apiKey: string }> {
  if (await findTenantBySlug(ctx.db, input.slug)) {
    throw new AppError("conflict", `A tenant with the slug ${input.slug} already exists.`);
  }
  return ctx.db.transaction(async (db) => {
    const tenant = await insertTenant(db, {
      id: newId("ten"),
      slug: input.slug,
      name: input.name,
      createdAt: ctx.clock.now(),
    });
    const key = await createApiKey({
      ctx: { db, clock: ctx.clock },
      input: { tenantId: tenant.id, name: "initial admin key", role: "admin" },
    });
    return { tenantId: tenant.id, slug: tenant.slug, apiKey: key.secret };
  });
}

/** The demo tenant for `npm start`: created on first start only; null when it already exists. */
export async function seedDemoTenant({ ctx }: { ctx: Pick<Ctx, "db" | "clock"> }) {
  if (await findTenantBySlug(ctx.db, "demo")) return null;
  return createTenantWithAdminKey({ ctx, input: { slug: "demo", name: "Demo Partner" } });
}
