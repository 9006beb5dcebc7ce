/**
 * White-label domains and the public branding a Host resolves to. A domain is added `pending`
 * with a token to publish in DNS; it routes requests and shows its branding only once verified
 * (domain-verification.ts). The platform's own hosts are never a tenant's.
 */
import type { Ctx, TenantCtx } from "../context/context";
import type { TenantDomain } from "../db/schema";
import { AppError } from "../errors/app-error";
import { isAllowedOutboundUrl, isReservedHost, isValidHost, normalizeHost } from "../identity/hosts";
import { randomToken } from "../ids/ids";
import { decodeCursor, pageOf } from "../pagination/cursor";
import {
  DomainTakenError,
  deleteDomain,
  findDomain,
  findVerifiedDomainByHost,
  insertDomain,
  listDomains,
} from "./domains-repo";
import { applySetupChange } from "./setup-change";

export interface DomainInput {
  host: string;
  displayName: string;
  logoUrl?: string | null;
  primaryColor?: string | null;
  accentColor?: string | null;
}

export const colorPattern = /^#[0-9a-f]{6}$/i;

/** What an unknown host shows: Switchboard's own look. */
export const defaultBranding = {
  displayName: "Switchboard",
  logoUrl: null,
  primaryColor: "#1f2937",
  accentColor: "#2563eb",
} as const;

const invalid = (pointer: string, message: string) =>
  new AppError("validation_failed", message, { errors: [{ pointer, in: "body", code: "invalid", message }] });

export async function addDomain({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: DomainInput;
}): Promise<TenantDomain> {
  const host = normalizeHost(input.host);
  if (!isValidHost(host)) throw invalid("/host", "Use a DNS host name such as `pilot.partner.example`.");
  if (isReservedHost(host, ctx.reservedHosts)) {
    throw invalid("/host", "This host is Switchboard's own and cannot be a white-label domain.");
  }
  if (input.logoUrl && !isAllowedOutboundUrl(input.logoUrl, { allowLoopbackHttp: false })) {
    throw invalid("/logoUrl", "The logo URL must be an https URL.");
  }
  if (
    await findVerifiedDomainByHost(ctx.db, host).then((found) => found && found.tenant.id !== ctx.tenant.id)
  ) {
    // Which tenant holds it is not said. A pending claim elsewhere does not block: proof decides.
    throw new AppError("conflict", `The host ${host} is already verified by another tenant.`);
  }
  try {
    const { result } = await applySetupChange<TenantDomain>(ctx, {
      kind: "domain.added",
      subject: () => `domain:${host}`,
      facts: (domain) => ({
        host: domain.host,
        displayName: domain.displayName,
        logoUrl: domain.logoUrl,
        primaryColor: domain.primaryColor,
        accentColor: domain.accentColor,
        createdAt: domain.createdAt.toISOString(),
      }),
      apply: (db) =>
        insertDomain(db, {
          host,
          tenantId: ctx.tenant.id,
          displayName: input.displayName,
          logoUrl: input.logoUrl ?? null,
          primaryColor: input.primaryColor?.toLowerCase() ?? null,
          accentColor: input.accentColor?.toLowerCase() ?? null,
          verificationToken: `sbv_${randomToken(24)}`,
          createdAt: ctx.clock.now(),
        }),
    });
    return result;
  } catch (error) {
    if (error instanceof DomainTakenError)
      throw new AppError("conflict", `The host ${host} is already registered in this tenant.`);
    throw error;
  }
}

export async function listTenantDomains({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { limit: number; cursor?: string };
}) {
  const rows = await listDomains(ctx.db, ctx.tenant.id, {
    limit: input.limit,
    after: decodeCursor(input.cursor),
  });
  return pageOf(
    rows.map((d) => ({ ...d, id: d.host })),
    input.limit,
  );
}

export async function getDomain({ ctx, host }: { ctx: TenantCtx; host: string }): Promise<TenantDomain> {
  const domain = await findDomain(ctx.db, ctx.tenant.id, normalizeHost(host));
  if (!domain) throw new AppError("not_found", "No such domain in this tenant.");
  return domain;
}

export async function removeDomain({ ctx, host }: { ctx: TenantCtx; host: string }): Promise<TenantDomain> {
  const { result } = await applySetupChange<TenantDomain>(ctx, {
    kind: "domain.removed",
    subject: (removed) => `domain:${removed.host}`,
    facts: (removed) => ({ host: removed.host }),
    apply: async (db) => {
      const removed = await deleteDomain(db, ctx.tenant.id, normalizeHost(host));
      if (!removed) throw new AppError("not_found", "No such domain in this tenant.");
      return removed;
    },
  });
  return result;
}

/** Public: the branding of a host, or Switchboard's when the host is not a white-label domain. */
export async function brandingForHost({ ctx, host }: { ctx: Pick<Ctx, "db">; host: string }) {
  const found = await findVerifiedDomainByHost(ctx.db, normalizeHost(host));
  if (found?.tenant.status !== "active") return { host, ...defaultBranding, isDefault: true };
  const { domain } = found;
  return {
    host,
    displayName: domain.displayName,
    logoUrl: domain.logoUrl,
    primaryColor: domain.primaryColor ?? defaultBranding.primaryColor,
    accentColor: domain.accentColor ?? defaultBranding.accentColor,
    isDefault: false,
  };
}
