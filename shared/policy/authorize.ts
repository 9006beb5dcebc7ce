/**
 * `authorize` asks Cedar, applies governed exceptions and stores the decision; `enforce`
 * also turns a deny into a receipt and a 403. The first line of every gated verb:
 *
 *   await enforce({ ctx, input: { action: "manageKeys", resource: { type: "Tenant", id, tenantId: id } } });
 *
 * Call it before opening a transaction: a deny's decision and receipt must survive the
 * rollback of the work it refused.
 */
import canonicalize from "canonicalize";
import type { TenantCtx } from "../context/context";
import type { DecisionRecord, Role } from "../db/schema";
import { AppError } from "../errors/app-error";
import { actorRoles, operatorRoles } from "../identity/roles";
import { newId, sha256Hex } from "../ids/ids";
import { appendReceipt } from "../receipts/append";
import { insertDecision } from "./decision-repo";
import type { PolicyAnswer, PolicyEngine, PolicyRequest } from "./engine";
import { findLiveException } from "./exception-repo";
import { type AuthorizeInput, type PolicyAction, principalOf, requestEntities, uid, uidText } from "./model";
import { findOperatorRoles } from "./principal-repo";

/** Tenant roles from least to most privileged: the hint names the smallest role that would do. */
const hintRoles: readonly Role[] = ["viewer", "auditor", "operator", "approver", "admin"];

/**
 * Denies no governed exception lifts: the tenant boundary, staff being read-only, and four eyes
 * (an approver never approves their own request).
 */
const unexemptablePolicies = ["tenant-boundary", "pilot-ops-read-only", "approval-not-own-request"];

/**
 * Exceptions lift a clean deny inside the caller's own tenant. Never the policies above, never
 * a request Cedar could not evaluate, and never `recordException` itself (no self-bootstrapping).
 */
function exceptionMayApply(ctx: TenantCtx, input: AuthorizeInput, answer: PolicyAnswer): boolean {
  return (
    answer.errors.length === 0 &&
    input.resource.tenantId === ctx.tenant.id &&
    input.action !== "recordException" &&
    input.action !== "skipApproval" &&
    !answer.determiningPolicies.some((id) => unexemptablePolicies.includes(id))
  );
}

/**
 * Every role the principal holds. Work done later for an operator (a run's command step, the
 * queue) rebuilds its actor from a stored `role` alone: their roles are read again, as long as
 * that is still their role; otherwise the stored role is all they act with.
 */
async function principalRoles(ctx: TenantCtx): Promise<readonly Role[]> {
  const { actor } = ctx;
  if (actor.roles !== undefined || actor.type !== "operator") return actorRoles(actor);
  const stored = await findOperatorRoles(ctx.db, ctx.tenant.id, actor.id);
  return stored?.role === actor.role ? operatorRoles(stored) : [actor.role];
}

/** What would allow a denied request: a forbid's `@remediation`, else the smallest role that, added, would. */
function remediationFor(
  engine: PolicyEngine,
  request: PolicyRequest,
  answer: PolicyAnswer,
  roles: readonly Role[],
) {
  for (const id of answer.determiningPolicies) {
    const hint = engine.remediations[id];
    if (hint) return hint;
  }
  if (answer.determiningPolicies.length > 0) return `denied by ${answer.determiningPolicies.join(", ")}`;
  if (answer.errors.length > 0)
    return "the request does not fit the policy schema; see the decision's errors";
  const principalKey = JSON.stringify(request.principal);
  for (const candidate of hintRoles) {
    if (roles.includes(candidate)) continue;
    // Same request, same entities, one more role on the principal: Cedar answers, not a table here.
    const withRole = [...roles, candidate];
    const entities = request.entities.map((e) =>
      JSON.stringify(e.uid) === principalKey ? { ...e, attrs: { ...e.attrs, roles: withRole } } : e,
    );
    if (engine.isAuthorized({ ...request, entities }).decision === "allow") return `needs role ${candidate}`;
  }
  return "no role allows this; an admin can record a policy exception";
}

/** Evaluates one request for `ctx.actor` and stores the decision, allow or deny. Never throws a deny. */
export async function authorize<A extends PolicyAction>({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: AuthorizeInput<A>;
}): Promise<DecisionRecord> {
  const given = input as AuthorizeInput;
  const principal = principalOf(ctx.actor);
  const roles = await principalRoles(ctx);
  const context = given.context ?? {};
  const request: PolicyRequest = {
    principal: uid(principal.type, principal.id),
    action: uid("Action", given.action),
    resource: uid(given.resource.type, given.resource.id),
    context,
    entities: requestEntities({ ...principal, roles, tenantId: ctx.tenant.id }, given.resource),
  };
  const answer = ctx.policy.isAuthorized(request);
  const principalText = uidText(principal.type, principal.id);
  const resourceText = uidText(given.resource.type, given.resource.id);
  if (answer.errors.length > 0) {
    ctx.logger.error("policy evaluation errors", {
      action: given.action,
      resource: resourceText,
      errors: answer.errors,
    });
  }
  const now = ctx.clock.now();
  const exception =
    answer.decision === "deny" && exceptionMayApply(ctx, given, answer)
      ? await findLiveException(ctx.db, {
          tenantId: ctx.tenant.id,
          principal: principalText,
          action: given.action,
          resource: resourceText,
          now,
        })
      : undefined;
  const allowed = answer.decision === "allow" || exception !== undefined;
  return insertDecision(ctx.db, {
    id: newId("dec"),
    tenantId: ctx.tenant.id,
    principal: principalText,
    action: given.action,
    resource: resourceText,
    contextDigest: await sha256Hex(canonicalize(context) ?? "{}"),
    decision: allowed ? "allow" : "deny",
    determiningPolicies: answer.determiningPolicies,
    errors: answer.errors,
    bundleVersion: ctx.policy.bundleVersion,
    remediation: allowed ? null : remediationFor(ctx.policy, request, answer, roles),
    exceptionId: exception?.id ?? null,
    decidedAt: now,
  });
}

/** `authorize`, and on deny a `policy.denied` receipt and a 403 naming the decision and the receipt. */
export async function enforce<A extends PolicyAction>(args: {
  ctx: TenantCtx;
  input: AuthorizeInput<A>;
}): Promise<DecisionRecord> {
  const decision = await authorize(args);
  if (decision.decision === "allow") return decision;
  const { receipt } = await appendReceipt({
    ctx: args.ctx,
    input: {
      kind: "policy.denied",
      subject: decision.resource,
      // The decision id makes each denial its own receipt, not a retry of an earlier one.
      input: {
        decisionId: decision.id,
        principal: decision.principal,
        action: decision.action,
        resource: decision.resource,
        contextDigest: decision.contextDigest,
      },
      decisionId: decision.id,
      links: [decision.id],
      details: {
        determiningPolicies: decision.determiningPolicies,
        remediation: decision.remediation,
        bundleVersion: decision.bundleVersion,
      },
    },
  });
  const remediation = decision.remediation ?? "denied";
  throw new AppError("forbidden", `${decision.action} on ${decision.resource} is denied: ${remediation}.`, {
    decisionId: decision.id,
    receiptId: receipt.id,
    remediation,
  });
}
