import type { Actor, Ctx } from "../context/context";
import type { Role, Tenant } from "../db/schema";
import { AppError } from "../errors/app-error";
import { newId, randomToken, sha256Hex } from "../ids/ids";
import { findLiveKeyByHash, insertApiKey, touchApiKey } from "./api-key-repo";

const secretPattern = /^sb_[a-z]+_[A-Za-z0-9_-]{43}$/;

/** Creates a key; the secret is returned once and only its hash is stored. */
export async function createApiKey({
  ctx,
  input,
}: {
  ctx: Pick<Ctx, "db" | "clock">;
  input: { tenantId: string; name: string; role: Role };
}): Promise<{ id: string; secret: string; prefix: string }> {
  const secret = `sb_live_${randomToken(32)}`;
  const prefix = secret.slice(0, 12);
  const key = await insertApiKey(ctx.db, {
    id: newId("key"),
    tenantId: input.tenantId,
    name: input.name,
    role: input.role,
    prefix,
    secretHash: await sha256Hex(secret),
    createdAt: ctx.clock.now(),
  });
  return { id: key.id, secret, prefix };
}

/**
 * Resolves a presented API key to its tenant and actor, or throws `invalid_credential`. The
 * tenant comes with its status: whether a suspended tenant's key may act is resolveCaller's rule.
 */
export async function authenticateApiKey({
  ctx,
  secret,
}: {
  ctx: Pick<Ctx, "db" | "clock">;
  secret: string;
}): Promise<{ tenant: Tenant; actor: Actor }> {
  if (!secretPattern.test(secret)) throw new AppError("invalid_credential", "The API key is malformed.");
  const found = await findLiveKeyByHash(ctx.db, await sha256Hex(secret));
  if (!found) throw new AppError("invalid_credential", "The API key is unknown or revoked.");
  await touchApiKey(ctx.db, found.key.id, ctx.clock.now());
  return { tenant: found.tenant, actor: { type: "api_key", id: found.key.id, role: found.key.role } };
}
