/**
 * The receipt context of a queued import step (a chunk applied or reverted, an import or
 * revert completed): the step's transaction, and the actor who asked for the commit or
 * the revert, as stored with it, so the queue's receipts name that person.
 */
import type { Actor, Ctx } from "../../../context/context";
import type { Database } from "../../../db/client";
import type { Role } from "../../../db/schema";
import type { AppendCtx } from "../../../receipts/append";
import { findTenantRef } from "../commit/imports-repo";

export interface StoredActor {
  actorType: string;
  actorId: string;
  actorRole: string;
}

export type ActingCtx = AppendCtx & { db: Database };

/** The step's receipt context; throws when the tenant is gone (nothing may be written then). */
export async function actingAs(
  ctx: Ctx,
  tx: Database,
  tenantId: string,
  who: StoredActor,
): Promise<ActingCtx> {
  const tenant = await findTenantRef(tx, tenantId);
  if (!tenant) throw new Error(`tenant ${tenantId} is gone`);
  return {
    db: tx,
    clock: ctx.clock,
    tenant,
    actor: { type: who.actorType as Actor["type"], id: who.actorId, role: who.actorRole as Role },
  };
}
