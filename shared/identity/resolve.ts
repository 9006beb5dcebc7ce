/**
 * Who is calling, and for which tenant. The rule (docs/threat-model.md, README):
 * 1. The credential decides its home tenant: an `sb_…` API key by its row; any
 *    other bearer is an OIDC JWT verified against one tenant's IdP (see oidc-login).
 * 2. A suspended tenant's credentials are refused (403 `tenant_suspended`), whatever
 *    they ask; checked once the credential has proven itself, so nobody else learns it.
 * 3. On a white-label Host, the Host's tenant must be the credential's tenant,
 *    and `x-switchboard-tenant`, when sent, must name it too; otherwise 403
 *    `tenant_mismatch`. Unknown hosts leave the decision to the credential.
 * 4. The one exception is Switchboard staff: a `pilot-ops` credential of the
 *    `switchboard` tenant acts in the tenant named by `x-switchboard-tenant`
 *    (or by the Host), suspended or not, read-only: its unsafe requests are
 *    refused by Cedar in that tenant (see staff-writes.ts), so each refusal is a
 *    decision and a receipt there.
 */
import type { Actor, Ctx, TenantRef } from "../context/context";
import type { Tenant } from "../db/schema";
import { AppError } from "../errors/app-error";
import { authenticateApiKey } from "../tenants/api-keys";
import { findTenantBySlug } from "../tenants/tenant-repo";
import { authenticateOidc } from "./oidc-login";
import { STAFF_TENANT_SLUG, TENANT_HEADER } from "./staff";

export interface CallerInput {
  /** The bearer value: an API key or a JWT. */
  credential: string;
  hostTenant?: Tenant;
  tenantSlug?: string;
}

export interface Caller {
  /** The tenant this request acts in. */
  tenant: TenantRef;
  actor: Actor;
  /** The credential's own tenant: differs from `tenant` only for pilot-ops. */
  home: TenantRef;
}

const ref = (t: Tenant): TenantRef => ({ id: t.id, slug: t.slug, name: t.name });

export async function resolveCaller({
  ctx,
  input,
}: {
  ctx: Pick<Ctx, "db" | "clock" | "logger" | "outbound">;
  input: CallerInput;
}): Promise<Caller> {
  const { tenant: homeTenant, actor } = input.credential.startsWith("sb_")
    ? await authenticateApiKey({ ctx, secret: input.credential })
    : await authenticateOidc({ ctx, input: { ...input, token: input.credential } });
  if (homeTenant.status !== "active") {
    throw new AppError(
      "tenant_suspended",
      `The tenant \`${homeTenant.slug}\` is suspended: its API keys and sign-ins are refused until Switchboard reactivates it.`,
    );
  }
  const home = ref(homeTenant);
  if (actor.role === "pilot-ops") return { tenant: await staffTarget(ctx, home, input), actor, home };
  // flag-admin changes the platform's flags and acts only in the staff tenant itself.
  if (actor.role === "flag-admin" && home.slug !== STAFF_TENANT_SLUG) {
    throw new AppError("forbidden", "The flag-admin role is valid only on Switchboard staff credentials.");
  }
  if (input.hostTenant && input.hostTenant.id !== home.id) {
    throw new AppError("tenant_mismatch", "This credential belongs to another tenant than this domain.");
  }
  if (input.tenantSlug !== undefined && input.tenantSlug !== home.slug) {
    throw new AppError(
      "tenant_mismatch",
      `\`${TENANT_HEADER}\` names a tenant this credential does not belong to.`,
    );
  }
  return { tenant: home, actor, home };
}

async function staffTarget(ctx: Pick<Ctx, "db">, home: TenantRef, input: CallerInput): Promise<TenantRef> {
  if (home.slug !== STAFF_TENANT_SLUG) {
    throw new AppError("forbidden", "The pilot-ops role is valid only on Switchboard staff credentials.");
  }
  const { hostTenant, tenantSlug } = input;
  if (tenantSlug === undefined) return hostTenant ? ref(hostTenant) : home;
  if (hostTenant && hostTenant.slug !== tenantSlug) {
    throw new AppError("tenant_mismatch", `\`${TENANT_HEADER}\` names another tenant than this domain.`);
  }
  const target = await findTenantBySlug(ctx.db, tenantSlug);
  if (!target) throw new AppError("not_found", `No tenant has the slug \`${tenantSlug}\`.`);
  return ref(target);
}
