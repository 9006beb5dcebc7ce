/**
 * An OIDC bearer token → the tenant whose IdP vouches for it → an active operator.
 * Which IdP: the white-label Host's tenant; else the tenant named by
 * `x-switchboard-tenant`; else the one tenant whose IdP has the token's issuer
 * and audience. The unverified claims only choose the key set; nothing is
 * trusted until the token verifies against that tenant's IdP.
 */
import { decodeJwt, type JWTPayload } from "jose";
import type { Actor, Ctx } from "../context/context";
import type { IdpSettings, Tenant } from "../db/schema";
import { AppError } from "../errors/app-error";
import { findIdp, findIdpsByIssuer } from "../tenants/idp-repo";
import { findOperatorByClaim } from "../tenants/operators-repo";
import { findTenantBySlug } from "../tenants/tenant-repo";
import { checkTokenHeader, verifyIdpToken } from "./oidc-verify";
import { operatorRoles } from "./roles";
import { TENANT_HEADER } from "./staff";

export interface LoginInput {
  token: string;
  /** The tenant of the white-label Host, when the request came in on one. */
  hostTenant?: Tenant;
  /** The slug sent in `x-switchboard-tenant`, if any. */
  tenantSlug?: string;
}

const refuse = (detail: string) => new AppError("invalid_credential", detail);

export async function authenticateOidc({
  ctx,
  input,
}: {
  ctx: Pick<Ctx, "db" | "clock" | "logger" | "outbound">;
  input: LoginInput;
}): Promise<{ tenant: Tenant; actor: Actor }> {
  checkTokenHeader(input.token);
  const { tenant, idp } = await idpFor(ctx, input);
  // The tenant's status is resolveCaller's to check, after this: only a verified token learns it.
  const claims = await verifyIdpToken({ ctx, input: { token: input.token, idp } });
  const operator = await operatorFor(ctx, tenant.id, idp.matchBy, claims);
  return {
    tenant,
    actor: { type: "operator", id: operator.id, role: operator.role, roles: operatorRoles(operator) },
  };
}

const noIdp = () =>
  refuse("No OIDC identity provider is configured for the named tenant; use an API key or ask its admin.");

async function idpFor(
  ctx: Pick<Ctx, "db">,
  input: LoginInput,
): Promise<{ tenant: Tenant; idp: IdpSettings }> {
  const tenant =
    input.hostTenant ?? (input.tenantSlug ? await findTenantBySlug(ctx.db, input.tenantSlug) : undefined);
  if (tenant) {
    const idp = await findIdp(ctx.db, tenant.id);
    if (!idp) throw noIdp();
    return { tenant, idp };
  }
  if (input.tenantSlug) throw noIdp(); // same answer as "no IdP": no oracle for which slugs exist
  return byIssuer(ctx, input.token);
}

async function byIssuer(ctx: Pick<Ctx, "db">, token: string): Promise<{ tenant: Tenant; idp: IdpSettings }> {
  let claims: JWTPayload;
  try {
    claims = decodeJwt(token);
  } catch {
    throw refuse("The token's claims are not readable JSON.");
  }
  if (typeof claims.iss !== "string") throw refuse("The token lacks the required `iss` claim.");
  const audiences = typeof claims.aud === "string" ? [claims.aud] : (claims.aud ?? []);
  const matches = (await findIdpsByIssuer(ctx.db, claims.iss)).filter((m) =>
    audiences.includes(m.idp.audience),
  );
  const [only, ...others] = matches;
  if (!only) {
    throw refuse(
      `No tenant trusts this token's issuer and audience. Call on the tenant's domain or name it with \`${TENANT_HEADER}\`.`,
    );
  }
  if (others.length > 0) {
    throw refuse(`Several tenants trust this issuer and audience; name yours with \`${TENANT_HEADER}\`.`);
  }
  return only;
}

async function operatorFor(
  ctx: Pick<Ctx, "db">,
  tenantId: string,
  matchBy: IdpSettings["matchBy"],
  claims: JWTPayload,
) {
  const claimName = matchBy === "subject" ? "sub" : "email";
  const value = claims[claimName];
  if (typeof value !== "string" || value === "") {
    throw refuse(
      `The token has no \`${claimName}\` claim, which this tenant's IdP settings match operators by.`,
    );
  }
  // Only an address the IdP vouches for finds an operator: a missing claim is not a yes.
  if (matchBy === "email" && claims.email_verified !== true) {
    throw refuse(
      claims.email_verified === undefined
        ? "The token's email is not verified (no `email_verified` claim); this tenant matches operators by verified email."
        : "The token's email is not verified (`email_verified` is not true).",
    );
  }
  const by = matchBy === "subject" ? { subject: value } : { email: value.toLowerCase() };
  const operator = await findOperatorByClaim(ctx.db, tenantId, by);
  if (!operator) {
    throw refuse(
      `No operator in this tenant matches the token's \`${claimName}\`; ask an admin to invite you.`,
    );
  }
  if (operator.status !== "active") throw new AppError("forbidden", "This operator is suspended.");
  return operator;
}
