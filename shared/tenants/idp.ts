/**
 * A tenant's OIDC identity provider: bearer JWTs are verified against it.
 * Configuring or removing it is a setup step and leaves a receipt.
 */
import type { TenantCtx } from "../context/context";
import { isUniqueViolation } from "../db/errors";
import type { IdpSettings } from "../db/schema";
import { AppError } from "../errors/app-error";
import { isAllowedOutboundUrl } from "../identity/hosts";
import { deleteIdp, findIdp, type IdpValues, upsertIdp } from "./idp-repo";
import { applySetupChange } from "./setup-change";

const invalid = (pointer: string, message: string) =>
  new AppError("validation_failed", message, { errors: [{ pointer, in: "body", code: "invalid", message }] });

const notConfigured = () => new AppError("not_found", "No identity provider is configured for this tenant.");

/** https only; http only for a loopback host on Node (a local IdP), never on Workers. */
const allowed = (ctx: TenantCtx, url: string) =>
  isAllowedOutboundUrl(url, { allowLoopbackHttp: ctx.runtime === "node" });

export async function configureIdp({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: IdpValues;
}): Promise<{ idp: IdpSettings; receiptId: string }> {
  if (!allowed(ctx, input.issuer)) throw invalid("/issuer", "The issuer must be an https URL.");
  if (!allowed(ctx, input.jwksUrl)) throw invalid("/jwksUrl", "The JWKS URL must be an https URL.");
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
