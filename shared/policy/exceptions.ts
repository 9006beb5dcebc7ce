/**
 * Governed policy exceptions: an admin lets one principal take one action (on one resource,
 * or on any) that the policies deny, with a rationale, until a near expiry. Recording and
 * revoking are themselves Cedar-gated (`recordException`) and each leaves a receipt.
 */
import type { TenantCtx } from "../context/context";
import type { PolicyException } from "../db/schema";
import { AppError } from "../errors/app-error";
import { newId } from "../ids/ids";
import { decodeCursor, pageOf } from "../pagination/cursor";
import { appendReceipt } from "../receipts/append";
import { enforce } from "./authorize";
import {
  findException,
  insertException,
  listExceptions,
  principalInTenant,
  revokeExceptionRow,
  setExceptionReceipt,
} from "./exception-repo";
import { type PolicyAction, parseUidText, policyActions, principalOf, resourceTypes, uidText } from "./model";

/** Exceptions are short-lived by design: renewing one is a fresh, receipted decision. */
export const maxExceptionDays = 90;
export const minRationaleLength = 20;

/**
 * Every gated action but `recordException`: an exception never lets anyone grant exceptions.
 * `write` is no verb's action, only staff's door check, which no exception lifts; `skipApproval`
 * is four eyes, which is policy for everyone. No exception lifts `approval-not-own-request`
 * either (shared/policy/authorize.ts): an approver never approves their own request.
 */
export type ExemptableAction = Exclude<PolicyAction, "recordException" | "write" | "skipApproval">;
export const exemptableActions = policyActions.filter(
  (a): a is ExemptableAction => a !== "recordException" && a !== "write" && a !== "skipApproval",
);

export interface RecordExceptionInput {
  /** Cedar uid of an API key or operator of this tenant, as decisions show it. */
  principal: string;
  action: ExemptableAction;
  /** Cedar uid of one resource; absent means every resource of the action. */
  resource?: string;
  rationale: string;
  expiresAt: Date;
}

const invalid = (pointer: string, message: string) =>
  new AppError("validation_failed", message, { errors: [{ pointer, in: "body", code: "invalid", message }] });

function parsePrincipal(text: string): { type: "ApiKey" | "Operator"; id: string } {
  const parsed = parseUidText(text);
  if (parsed?.type === "ApiKey" || parsed?.type === "Operator") return { type: parsed.type, id: parsed.id };
  throw invalid("/principal", 'Name an API key or operator, e.g. Switchboard::ApiKey::"key_…".');
}

function checkResource(text: string | undefined): void {
  if (text === undefined) return;
  const parsed = parseUidText(text);
  if (!parsed || !(resourceTypes as readonly string[]).includes(parsed.type)) {
    throw invalid(
      "/resource",
      `Name a resource as Switchboard::<Type>::"<id>"; types: ${resourceTypes.join(", ")}.`,
    );
  }
}

function checkExpiry(ctx: TenantCtx, expiresAt: Date): void {
  const now = ctx.clock.now().getTime();
  if (expiresAt.getTime() <= now) throw invalid("/expiresAt", "expiresAt must be in the future.");
  if (expiresAt.getTime() > now + maxExceptionDays * 86_400_000) {
    throw invalid("/expiresAt", `An exception lasts at most ${maxExceptionDays} days.`);
  }
}

export async function recordPolicyException({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: RecordExceptionInput;
}): Promise<PolicyException> {
  const principal = parsePrincipal(input.principal);
  const id = newId("pex");
  // The exception is `in` its beneficiary, so policy forbids recording one for yourself.
  const decision = await enforce({
    ctx,
    input: {
      action: "recordException",
      resource: { type: "PolicyException", id, tenantId: ctx.tenant.id, owner: principal },
    },
  });
  checkResource(input.resource);
  checkExpiry(ctx, input.expiresAt);
  const rationale = input.rationale.trim();
  if (rationale.length < minRationaleLength) {
    throw invalid("/rationale", `Say why in at least ${minRationaleLength} characters.`);
  }
  if (!(await principalInTenant(ctx.db, ctx.tenant.id, principal))) {
    throw invalid("/principal", "No API key or operator with that id in this tenant.");
  }
  const actor = principalOf(ctx.actor);
  return ctx.db.transaction(async (db) => {
    const row = await insertException(db, {
      id,
      tenantId: ctx.tenant.id,
      principal: uidText(principal.type, principal.id),
      action: input.action,
      resource: input.resource ?? null,
      rationale,
      createdBy: uidText(actor.type, actor.id),
      createdAt: ctx.clock.now(),
      expiresAt: input.expiresAt,
    });
    const { receipt } = await appendReceipt({
      ctx: { ...ctx, db },
      input: {
        kind: "policy.exception.recorded",
        subject: `policy-exception:${id}`,
        input: { ...row, createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt.toISOString() },
        decisionId: decision.id,
        links: [decision.id],
      },
    });
    await setExceptionReceipt(db, ctx.tenant.id, id, receipt.id);
    return { ...row, receiptId: receipt.id };
  });
}

export async function listPolicyExceptions({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { limit: number; cursor?: string };
}) {
  const rows = await listExceptions(ctx.db, ctx.tenant.id, {
    limit: input.limit,
    after: decodeCursor(input.cursor),
  });
  return pageOf(rows, input.limit);
}

/** Revoking takes effect at once; revoking a revoked exception changes nothing and returns it. */
export async function revokePolicyException({
  ctx,
  id,
}: {
  ctx: TenantCtx;
  id: string;
}): Promise<{ exception: PolicyException; receiptId: string | null }> {
  // No owner here: an admin may always revoke, even an exception that names them.
  const decision = await enforce({
    ctx,
    input: { action: "recordException", resource: { type: "PolicyException", id, tenantId: ctx.tenant.id } },
  });
  const existing = await findException(ctx.db, ctx.tenant.id, id);
  if (!existing) throw new AppError("not_found", `No policy exception ${id} in this tenant.`);
  return ctx.db.transaction(async (db) => {
    const revoked = await revokeExceptionRow(db, ctx.tenant.id, id, ctx.clock.now());
    if (!revoked) return { exception: existing, receiptId: null };
    const { receipt } = await appendReceipt({
      ctx: { ...ctx, db },
      input: {
        kind: "policy.exception.revoked",
        subject: `policy-exception:${id}`,
        input: { id },
        decisionId: decision.id,
        links: [decision.id, ...(existing.receiptId ? [existing.receiptId] : [])],
      },
    });
    return { exception: revoked, receiptId: receipt.id };
  });
}
