/**
 * Flag verbs for Switchboard staff. Writes are `flag-admin`'s, gated by Cedar (`manageFlags` on
 * the Flag, which is `in` the `switchboard` tenant); reads are staff's (flag-admin, pilot-ops):
 * a configuration names tenants, so no tenant reads it.
 */
import type { TenantCtx } from "../context/context";
import type { Flag, FlagConfig, FlagVersion } from "../db/schema";
import { AppError } from "../errors/app-error";
import { actorRoles } from "../identity/roles";
import { STAFF_TENANT_SLUG, staffRoles } from "../identity/staff";
import { enforce } from "../policy/authorize";
import { findTenantBySlug } from "../tenants/tenant-repo";
import { applyFlagChange, type FlagChangeResult } from "./flag-changes";
import { findFlagRow, findFlagVersion, listFlagVersionRows } from "./flag-repo";
import { loadFlagSet } from "./flag-set";

/** Cedar first: the Flag resource belongs to the staff tenant, so the boundary keeps tenants out. */
export async function gateFlagChange(ctx: TenantCtx, key: string) {
  const staff =
    ctx.tenant.slug === STAFF_TENANT_SLUG ? ctx.tenant : await findTenantBySlug(ctx.db, STAFF_TENANT_SLUG);
  return enforce({
    ctx,
    input: {
      action: "manageFlags",
      resource: { type: "Flag", id: key, tenantId: staff?.id ?? STAFF_TENANT_SLUG },
    },
  });
}

function requireStaff(ctx: TenantCtx): void {
  if (!actorRoles(ctx.actor).some((role) => (staffRoles as readonly string[]).includes(role))) {
    throw new AppError(
      "forbidden",
      "Flag configurations are read by Switchboard staff (flag-admin, pilot-ops).",
    );
  }
}

/** Creates the flag or replaces its configuration (optionally only at `expectedVersion`). */
export async function putFlag({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { key: string; config: FlagConfig; expectedVersion?: number };
}): Promise<FlagChangeResult> {
  const decision = await gateFlagChange(ctx, input.key);
  return applyFlagChange(ctx, {
    key: input.key,
    change: "auto",
    build: () => input.config,
    expectedVersion: input.expectedVersion,
    decisionId: decision.id,
  });
}

/** Restores the exact configuration of a prior version, as a new version. */
export async function rollbackFlag({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { key: string; version: number };
}): Promise<FlagChangeResult> {
  const decision = await gateFlagChange(ctx, input.key);
  const target = await findFlagVersion(ctx.db, input.key, input.version);
  if (!target) throw new AppError("not_found", `Flag '${input.key}' has no version ${input.version}.`);
  return applyFlagChange(ctx, {
    key: input.key,
    change: "rolled_back",
    build: () => target.after,
    decisionId: decision.id,
    restoredVersion: target.version,
  });
}

export async function listFlags({ ctx }: { ctx: TenantCtx }): Promise<{ items: Flag[]; digest: string }> {
  requireStaff(ctx);
  const set = await loadFlagSet({ db: ctx.db });
  return { items: [...set.flags.values()], digest: set.digest };
}

export async function getFlag({ ctx, input }: { ctx: TenantCtx; input: { key: string } }): Promise<Flag> {
  requireStaff(ctx);
  const flag = await findFlagRow(ctx.db, input.key);
  if (!flag) throw new AppError("not_found", `No flag '${input.key}'.`);
  return flag;
}

export async function listFlagVersions({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { key: string; limit: number; before?: number };
}): Promise<{ items: FlagVersion[]; nextBefore: number | null }> {
  await getFlag({ ctx, input });
  const rows = await listFlagVersionRows(ctx.db, input.key, input);
  const items = rows.slice(0, input.limit);
  return { items, nextBefore: rows.length > input.limit ? (items.at(-1)?.version ?? null) : null };
}
