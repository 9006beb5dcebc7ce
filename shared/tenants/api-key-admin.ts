/** Tenant admins manage their API keys; every query is scoped to the caller's tenant. */
import type { TenantCtx } from "../context/context";
import type { ApiKey, Role } from "../db/schema";
import { AppError } from "../errors/app-error";
import { decodeCursor, pageOf } from "../pagination/cursor";
import { enforce } from "../policy/authorize";
import { appendReceipt } from "../receipts/append";
import { findApiKey, listApiKeys, revokeApiKeyRow } from "./api-key-repo";
import { createApiKey } from "./api-keys";

/** Cedar gate for every key operation: manageKeys on the tenant's key set. */
const gate = (ctx: TenantCtx) =>
  enforce({
    ctx,
    input: { action: "manageKeys", resource: { type: "Tenant", id: ctx.tenant.id, tenantId: ctx.tenant.id } },
  });

/**
 * What a key receipt keeps: which key, its name and role. Never the secret nor its hash: a
 * receipt is exported in evidence bundles, and a hash of a 256-bit secret would still name it.
 */
const keyFacts = (key: ApiKey) => ({ keyId: key.id, name: key.name, role: key.role });

/** Issues a key and its `api_key.issued` receipt in one transaction: never one without the other. */
export async function issueApiKey({ ctx, input }: { ctx: TenantCtx; input: { name: string; role: Role } }) {
  const decision = await gate(ctx);
  if (input.role === "pilot-ops" || input.role === "flag-admin") {
    throw new AppError(
      "forbidden",
      `${input.role} keys are issued by Switchboard staff, not by a tenant admin.`,
    );
  }
  return ctx.db.transaction(async (db) => {
    const created = await createApiKey({ ctx: { ...ctx, db }, input: { tenantId: ctx.tenant.id, ...input } });
    const key = await findApiKey(db, ctx.tenant.id, created.id);
    if (!key) throw new Error("issued key not found");
    await appendReceipt({
      ctx: { ...ctx, db },
      input: {
        kind: "api_key.issued",
        subject: `api_key:${key.id}`,
        input: { decisionId: decision.id, facts: keyFacts(key) },
        decisionId: decision.id,
        links: [decision.id],
        details: keyFacts(key),
      },
    });
    return { key, secret: created.secret };
  });
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

/** Revokes a key with its `api_key.revoked` receipt; revoking a revoked key changes nothing and receipts nothing. */
export async function revokeApiKey({ ctx, id }: { ctx: TenantCtx; id: string }): Promise<ApiKey> {
  const decision = await gate(ctx);
  const revoked = await ctx.db.transaction(async (db) => {
    const row = await revokeApiKeyRow(db, ctx.tenant.id, id, ctx.clock.now());
    if (!row) return undefined;
    await appendReceipt({
      ctx: { ...ctx, db },
      input: {
        kind: "api_key.revoked",
        subject: `api_key:${row.id}`,
        input: { facts: keyFacts(row) },
        decisionId: decision.id,
        links: [decision.id],
        details: keyFacts(row),
      },
    });
    return row;
  });
  if (revoked) return revoked;
  const existing = await findApiKey(ctx.db, ctx.tenant.id, id);
  if (!existing) throw new AppError("not_found", `No API key ${id} in this tenant.`);
  return existing; // already revoked: revoking again is a no-op
}
