/** Tenant admins manage their API keys; every query is scoped to the caller's tenant. */
import type { TenantCtx } from "../context/context";
import type { ApiKey, Role } from "../db/schema";
import { AppError } from "../errors/app-error";
import { decodeCursor, pageOf } from "../pagination/cursor";
import { enforce } from "../policy/authorize";
import { findApiKey, listApiKeys, revokeApiKeyRow } from "./api-key-repo";
import { createApiKey } from "./api-keys";

/** Cedar gate for every key operation: manageKeys on the tenant's key set. */
const gate = (ctx: TenantCtx) =>
  enforce({
    ctx,
    input: { action: "manageKeys", resource: { type: "Tenant", id: ctx.tenant.id, tenantId: ctx.tenant.id } },
  });

export async function issueApiKey({ ctx, input }: { ctx: TenantCtx; input: { name: string; role: Role } }) {
  await gate(ctx);
  if (input.role === "pilot-ops") {
    throw new AppError("forbidden", "pilot-ops keys are issued by Switchboard staff, not by a tenant admin.");
  }
  const created = await createApiKey({ ctx, input: { tenantId: ctx.tenant.id, ...input } });
  const key = await findApiKey(ctx.db, ctx.tenant.id, created.id);
  if (!key) throw new Error("issued key not found");
  return { key, secret: created.secret };
}

export async function listTenantApiKeys({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { limit: number; cursor?: string };
}) {
  await gate(ctx);
  const rows = await listApiKeys(ctx.db, ctx.tenant.id, {
    limit: input.limit,
    after: decodeCursor(input.cursor),
  });
  return pageOf(rows, input.limit);
}

export async function revokeApiKey({ ctx, id }: { ctx: TenantCtx; id: string }): Promise<ApiKey> {
  await gate(ctx);
  const revoked = await revokeApiKeyRow(ctx.db, ctx.tenant.id, id, ctx.clock.now());
  if (revoked) return revoked;
  const existing = await findApiKey(ctx.db, ctx.tenant.id, id);
  if (!existing) throw new AppError("not_found", `No API key ${id} in this tenant.`);
  return existing; // already revoked: revoking again is a no-op
}
