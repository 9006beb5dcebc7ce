/**
 * Proof that a tenant controls a white-label host: a DNS TXT record at
 * `_switchboard-challenge.<host>` holding the token the API issued for the domain, looked up
 * through the platform's DNS-over-HTTPS resolver. Checked when an admin asks
 * (`POST /v1/domains/{host}/verify`) and again by the `domain-checks` cron task: a verified
 * domain whose record is gone goes back to `pending` and stops routing.
 *
 * One host is verified for one tenant at most (a partial unique index). Any number of tenants
 * may hold pending claims, so a squatter never blocks the owner; and when the record now holds
 * another tenant's token instead of the holder's, the holder loses the host to the one proving it.
 * Every state change leaves a receipt: `domain.verified`, `domain.verification_failed`.
 */
import type { Actor, Ctx, TenantCtx } from "../context/context";
import { isUniqueViolation } from "../db/errors";
import type { TenantDomain } from "../db/schema";
import { AppError } from "../errors/app-error";
import { challengeName, normalizeHost } from "../identity/hosts";
import { DnsUnavailableError, type TxtAnswer } from "../platform/ports";
import { enforce } from "../policy/authorize";
import { appendReceipt } from "../receipts/append";
import {
  domainsDueForCheck,
  findDomain,
  lockVerifiedHolder,
  markPending,
  markVerified,
  recordCheck,
} from "./domains-repo";
import { findTenantById } from "./tenant-repo";

const cronActor: Actor = { type: "system", id: "domain-check", role: "viewer" };

type Outcome =
  | { kind: "verified"; domain: TenantDomain }
  | { kind: "still-verified"; domain: TenantDomain }
  | { kind: "not-proven"; domain: TenantDomain; problem: string }
  | { kind: "held-elsewhere"; domain: TenantDomain; problem: string };

const heldElsewhere = "The host is verified by another tenant whose token the record still holds.";

function problemOf(host: string, answer: TxtAnswer): string {
  const name = challengeName(host);
  if (!answer.found) {
    return answer.reason === "nxdomain"
      ? `${name} does not exist in DNS; add a TXT record there holding this domain's token.`
      : `${name} has no TXT record; add one holding this domain's token.`;
  }
  return `None of the ${answer.values.length} TXT value(s) at ${name} is this domain's token.`;
}

const holds = (answer: TxtAnswer, token: string) =>
  answer.found && answer.values.some((value) => value.trim() === token);

/** Whose context a receipt is written in: the domain's tenant, acting as `actor`. */
async function tenantCtxOf(ctx: Ctx, tenantId: string, actor: Actor): Promise<TenantCtx> {
  const tenant = await findTenantById(ctx.db, tenantId);
  if (!tenant) throw new Error(`domain of unknown tenant ${tenantId}`);
  return { ...ctx, tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name }, actor };
}

/**
 * Applies one DNS answer to one domain: verifies it, keeps it, or takes it back to pending.
 * `as` is the acting tenant context (an admin's request, or the cron as `system:domain-check`).
 */
async function settle(
  as: TenantCtx,
  domain: TenantDomain,
  answer: TxtAnswer,
  decisionId?: string,
): Promise<Outcome> {
  const now = as.clock.now();
  const receipt = (tx: TenantCtx, kind: string, d: TenantDomain, facts: Record<string, unknown>) =>
    appendReceipt({
      ctx: tx,
      input: {
        kind,
        subject: `domain:${d.host}`,
        input: { at: now.toISOString(), decisionId: decisionId ?? null, ...facts },
        ...(decisionId ? { decisionId, links: [decisionId] } : {}),
        details: { host: d.host, record: challengeName(d.host), ...facts },
      },
    });

  if (!holds(answer, domain.verificationToken)) {
    const problem = problemOf(domain.host, answer);
    if (domain.status !== "verified") {
      return {
        kind: "not-proven",
        domain: (await recordCheck(as.db, domain, now, problem)) ?? domain,
        problem,
      };
    }
    const demoted = await as.db.transaction(async (db) => {
      const row = await markPending(db, domain, now, problem);
      if (row) await receipt({ ...as, db }, "domain.verification_failed", row, { reason: problem });
      return row;
    });
    return { kind: "not-proven", domain: demoted ?? domain, problem };
  }

  if (domain.status === "verified") {
    return { kind: "still-verified", domain: (await recordCheck(as.db, domain, now, null)) ?? domain };
  }
  try {
    return await as.db.transaction(async (db) => {
      const holder = await lockVerifiedHolder(db, domain.host, domain.tenantId);
      if (holder) {
        if (holds(answer, holder.verificationToken))
          return { kind: "held-elsewhere", domain, problem: heldElsewhere };
        // The record no longer vouches for the holder: the host moves to the tenant proving it now.
        const holderCtx = await tenantCtxOf({ ...as, db }, holder.tenantId, cronActor);
        const lost = await markPending(db, holder, now, problemOf(holder.host, answer));
        if (lost) {
          await receipt(holderCtx, "domain.verification_failed", lost, {
            reason: "The challenge record now holds another tenant's token.",
          });
        }
      }
      const verified = await markVerified(db, domain, now);
      if (!verified)
        return { kind: "not-proven", domain, problem: "The domain changed meanwhile; verify again." };
      await receipt({ ...as, db }, "domain.verified", verified, {});
      return { kind: "verified", domain: verified } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { kind: "held-elsewhere", domain, problem: heldElsewhere };
    throw error;
  }
}

async function lookup(ctx: Pick<Ctx, "dns">, host: string): Promise<TxtAnswer> {
  return ctx.dns.txt(challengeName(host));
}

/** `POST /v1/domains/{host}/verify`: look the challenge up now; the domain, verified, or a problem saying what DNS holds. */
export async function verifyDomain({ ctx, host }: { ctx: TenantCtx; host: string }): Promise<TenantDomain> {
  const decision = await enforce({
    ctx,
    input: { action: "configure", resource: { type: "Tenant", id: ctx.tenant.id, tenantId: ctx.tenant.id } },
  });
  const domain = await findDomain(ctx.db, ctx.tenant.id, normalizeHost(host));
  if (!domain) throw new AppError("not_found", "No such domain in this tenant.");
  let answer: TxtAnswer;
  try {
    answer = await lookup(ctx, domain.host);
  } catch (error) {
    if (!(error instanceof DnsUnavailableError)) throw error;
    ctx.logger.warn("domain check: resolver unavailable", { host: domain.host, error: error.message });
    throw new AppError("unavailable", "The DNS resolver could not be asked just now; try again shortly.");
  }
  const outcome = await settle(ctx, domain, answer, decision.id);
  switch (outcome.kind) {
    case "verified":
    case "still-verified":
      return outcome.domain;
    case "held-elsewhere":
      await recordCheck(ctx.db, domain, ctx.clock.now(), outcome.problem);
      throw new AppError("conflict", `The host ${domain.host} is already verified by another tenant.`);
    case "not-proven":
      throw new AppError("unprocessable", outcome.problem);
  }
}

/**
 * The `domain-checks` cron task: re-checks verified domains (and recent pending ones) not checked
 * for an hour, a few at a time. A resolver that cannot answer changes nothing.
 */
export async function recheckDomains(ctx: Ctx): Promise<Record<string, number>> {
  const now = ctx.clock.now();
  const due = await domainsDueForCheck(ctx.db, {
    checkedBefore: new Date(now.getTime() - 60 * 60_000),
    pendingSince: new Date(now.getTime() - 7 * 24 * 60 * 60_000),
    limit: 25,
  });
  const counts = { checked: 0, verified: 0, lost: 0, unavailable: 0 };
  for (const domain of due) {
    let answer: TxtAnswer;
    try {
      answer = await lookup(ctx, domain.host);
    } catch (error) {
      if (!(error instanceof DnsUnavailableError)) throw error;
      counts.unavailable++;
      ctx.logger.warn("domain check: resolver unavailable", { host: domain.host, error: error.message });
      continue;
    }
    counts.checked++;
    const outcome = await settle(await tenantCtxOf(ctx, domain.tenantId, cronActor), domain, answer);
    if (outcome.kind === "verified") counts.verified++;
    if (outcome.kind === "not-proven" && domain.status === "verified") counts.lost++;
    if (outcome.kind === "held-elsewhere") await recordCheck(ctx.db, domain, now, outcome.problem);
  }
  return counts;
}
