/**
 * Evaluating flags for the caller: the native endpoint and OFREP both call `evaluateFlags`.
 * The tenant is the credential's (staff may name one in `tenantId`); the operator is
 * `operatorId`, else `targetingKey`, else the signed-in operator.
 */
import type { TenantCtx } from "../context/context";
import { actorRoles } from "../identity/roles";
import { staffRoles } from "../identity/staff";
import { jsonDigest } from "../receipts/hashing";
import { type Evaluation, type EvaluationContext, evaluateFlag } from "./evaluate";
import { loadFlagSet } from "./flag-set";

export interface EvaluationRequestContext {
  targetingKey?: string;
  operatorId?: string;
  tenantId?: string;
  [attribute: string]: unknown;
}

export interface EvaluationResult {
  flags: Evaluation[];
  /** The flag set's digest when evaluated. */
  setDigest: string;
  /** Same configuration and same context: same ETag (the OFREP bulk answer's). */
  etag: string;
  context: EvaluationContext;
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

export function resolveEvaluationContext(
  ctx: TenantCtx,
  context: EvaluationRequestContext,
): EvaluationContext {
  const staff = actorRoles(ctx.actor).some((role) => (staffRoles as readonly string[]).includes(role));
  const tenantId = (staff ? text(context.tenantId) : undefined) ?? ctx.tenant.id;
  const operatorId =
    text(context.operatorId) ??
    text(context.targetingKey) ??
    (ctx.actor.type === "operator" ? ctx.actor.id : undefined);
  return operatorId === undefined ? { tenantId } : { tenantId, operatorId };
}

/** Every flag (or those in `keys`, in that order) for one context. */
export async function evaluateFlags({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { keys?: readonly string[]; context: EvaluationRequestContext };
}): Promise<EvaluationResult> {
  const set = await loadFlagSet(ctx);
  const context = resolveEvaluationContext(ctx, input.context);
  const keys = input.keys ?? [...set.flags.keys()];
  const flags = keys.map((key) => evaluateFlag(key, set.flags.get(key), context));
  const etag = `"${jsonDigest({ set: set.digest, context, keys: input.keys ?? null }).slice(0, 32)}"`;
  return { flags, setDigest: set.digest, etag, context };
}
