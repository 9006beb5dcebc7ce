/**
 * Switchboard staff: the `switchboard` tenant and its pilot-ops keys, made by a
 * seed helper or the operator CLI — never through the tenant API, where
 * `issueApiKey` refuses the role — and the staff-only tenant list.
 */
import type { Ctx, TenantCtx } from "../context/context";
import { AppError } from "../errors/app-error";
import { STAFF_TENANT_SLUG } from "../identity/staff";
import { newId } from "../ids/ids";
import { decodeCursor, pageOf } from "../pagination/cursor";
import { createApiKey } from "./api-keys";
import { listAllTenants } from "./tenant-admin-repo";
import { findTenantBySlug, insertTenant } from "./tenant-repo";

/** Creates the staff tenant on first call; later calls find it. */
export async function ensureStaffTenant({ ctx }: { ctx: Pick<Ctx, "db" | "clock"> }) {
  const existing = await findTenantBySlug(ctx.db, STAFF_TENANT_SLUG);
  if (existing) return existing;
  return insertTenant(ctx.db, {
    id: newId("ten"),
    slug: STAFF_TENANT_SLUG,
    name: "Switchboard",
    createdAt: ctx.clock.now(),
  });
}

/** Issues a key of the `switchboard` tenant with a staff role; the secret is returned once. */
async function issueStaffKey(
  ctx: Pick<Ctx, "db" | "clock">,
  name: string,
  role: "pilot-ops" | "flag-admin",
): Promise<{ id: string; secret: string; tenantId: string }> {
  return ctx.db.transaction(async (db) => {
    const staff = await ensureStaffTenant({ ctx: { db, clock: ctx.clock } });
    const key = await createApiKey({
      ctx: { db, clock: ctx.clock },
      input: { tenantId: staff.id, name, role },
    });
    return { id: key.id, secret: key.secret, tenantId: staff.id };
  });
}

/** Issues a read-only cross-tenant key for a member of staff; the secret is returned once. */
export function issuePilotOpsKey({
  ctx,
  input,
}: {
  ctx: Pick<Ctx, "db" | "clock">;
  input: { name: string };
}) {
  return issueStaffKey(ctx, input.name, "pilot-ops");
}

/** Issues a key that may change the platform's feature flags (and nothing else); the secret is returned once. */
export function issueFlagAdminKey({
  ctx,
  input,
}: {
  ctx: Pick<Ctx, "db" | "clock">;
  input: { name: string };
}) {
  return issueStaffKey(ctx, input.name, "flag-admin");
}

/** Staff view of every tenant, oldest first, so pilot-ops can find the slug to name. */
export async function listTenantsForStaff({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { limit: number; cursor?: string };
}) {
  if (ctx.actor.role !== "pilot-ops") throw new AppError("forbidden", "Only Switchboard staff list tenants.");
  const rows = await listAllTenants(ctx.db, { limit: input.limit, after: decodeCursor(input.cursor) });
  return pageOf(rows, input.limit);
}
