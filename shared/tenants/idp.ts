/**
 * A tenant's OIDC identity provider: bearer JWTs are verified against it.
 * Configuring or removing it is a setup step and leaves a receipt.
 */
import type { TenantCtx } from "../context/context";
import { isUniqueViolation } from "../db/errors";
import type { IdpSettings } from "../db/schema";
import { AppError } from "../errors/app-error";
import { outboundUrlProblem } from "../platform/outbound";
import { deleteIdp, findIdp, type IdpValues, upsertIdp } from "./idp-repo";
import { applySetupChange } from "./setup-change";

const invalid = (pointer: string, message: string) =>
  new AppError("validation_failed", message, { errors: [{ pointer, in: "body", code: "invalid", message }] });

const notConfigured = () => new AppError("not_found", "No identity provider is configured for this tenant.");

/**
 * https to a public host; a loopback IdP (and plain http to it) only where
 * OUTBOUND_ALLOW_LOOPBACK is set. The key set is fetched through the outbound client.
 */
const problem = (ctx: TenantCtx, url: string) =>
  outboundUrlProblem(url, { allowLoopback: ctx.outbound.allowLoopback });

export async function configureIdp({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: IdpValues;
}): Promise<{ idp: IdpSettings; receiptId: string }> {
  const issuer = problem(ctx, input.issuer);
  if (issuer) throw invalid("/issuer", `The issuer is not accepted: ${issuer}.`);
  const jwks = problem(ctx, input.jwksUrl);
  if (jwks) throw invalid("/jwksUrl", `The JWKS URL is not accepted: ${jwks}.`);
  try {
    const { result, receiptId } = await applySetupChange<IdpSettings>(ctx, {
      kind: "idp.configured",
      subject: () => `idp:${ctx.tenant.id}`,
      facts: () => ({ ...input }),
      apply: (db) => upsertIdp(db, ctx.tenant.id, input, ctx.clock.now()),
    });
    return { idp: result, receiptId };
  } catch (error) {
    // The unique index decides, so two tenants racing for one pair cannot both win. Which tenant
    // holds it is not said: that would tell any admin who uses which IdP.
    if (!isUniqueViolation(error)) throw error;
    throw new AppError(
      "conflict",
      "Another tenant already trusts this issuer with this audience. Register a separate client (audience) for this tenant at your identity provider.",
    );
  }
}

export async function getIdp({ ctx }: { ctx: TenantCtx }): Promise<IdpSettings> {
  const idp = await findIdp(ctx.db, ctx.tenant.id);
  if (!idp) throw notConfigured();
  return idp;
}

export async function removeIdp({ ctx }: { ctx: TenantCtx }): Promise<{ receiptId: string }> {
  const { receiptId } = await applySetupChange<IdpSettings>(ctx, {
    kind: "idp.removed",
    subject: () => `idp:${ctx.tenant.id}`,
    facts: (removed) => ({ issuer: removed.issuer }),
    apply: async (db) => {
      const removed = await deleteIdp(db, ctx.tenant.id);
      if (!removed) throw notConfigured();
      return removed;
    },
  });
  return { receiptId };
}
