/**
 * Every change to a flag goes through `applyFlagChange`: one transaction that writes the new
 * configuration, a version with before and after, a receipt in the platform's (`switchboard`)
 * log and, for each tenant whose override it changes, a receipt in that tenant's log. A change
 * that leaves the digest as it was is no change: no version, no receipt.
 */
import type { TenantCtx } from "../context/context";
import type { Flag, FlagConfig } from "../db/schema";
import { AppError } from "../errors/app-error";
import { appendReceipt } from "../receipts/append";
import { asStoredJson } from "../receipts/canonical-json";
import { flagDigest } from "./digest";
import { checkFlagConfig } from "./flag-config";
import { findFlagRow, insertFlagVersion, tenantRefsByIds, upsertFlagRow } from "./flag-repo";
import { invalidateFlagSet } from "./flag-set";

export type FlagChangeKind = "created" | "updated" | "rolled_back" | "ramp.advanced" | "ramp.paused";

export interface FlagChange {
  key: string;
  change: FlagChangeKind | "auto";
  /** The next configuration from the current one (undefined when the flag does not exist). */
  build: (current: Flag | undefined) => FlagConfig;
  expectedVersion?: number;
  decisionId?: string;
  restoredVersion?: number;
  /** Extra receipt details, e.g. the ramp plan and step. */
  details?: Record<string, unknown>;
}

export interface FlagChangeResult {
  flag: Flag;
  changed: boolean;
  receiptId: string | null;
  tenantReceiptIds: string[];
}

/** Tenants whose override differs between two configurations. */
function overrideChanges(before: FlagConfig | undefined, after: FlagConfig) {
  const ids = new Set([...Object.keys(before?.tenantOverrides ?? {}), ...Object.keys(after.tenantOverrides)]);
  return [...ids]
    .map((id) => ({
      id,
      before: before?.tenantOverrides[id] ?? null,
      after: after.tenantOverrides[id] ?? null,
    }))
    .filter((c) => c.before !== c.after)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** `ctx.tenant` is the platform's (`switchboard`) tenant: the platform receipt goes to its log. */
export async function applyFlagChange(ctx: TenantCtx, input: FlagChange): Promise<FlagChangeResult> {
  const result = await ctx.db.transaction(async (db): Promise<FlagChangeResult> => {
    const txCtx = { ...ctx, db };
    const current = await findFlagRow(db, input.key, true);
    if (input.expectedVersion !== undefined && (current?.version ?? 0) !== input.expectedVersion) {
      throw new AppError(
        "conflict",
        `Flag '${input.key}' is at version ${current?.version ?? 0}, not ${input.expectedVersion}: read it again and retry.`,
      );
    }
    const config = asStoredJson(input.build(current));
    checkFlagConfig(config);
    const changes = overrideChanges(current?.config, config);
    const tenants = await tenantRefsByIds(
      db,
      changes.map((c) => c.id),
    );
    const missing = changes.filter((c) => c.after !== null && !tenants.some((t) => t.id === c.id));
    if (missing.length > 0) {
      throw new AppError("unprocessable", "A tenant override names a tenant that does not exist.", {
        errors: missing.map((c) => ({
          pointer: `/tenantOverrides/${c.id}`,
          in: "body" as const,
          code: "unknown_tenant",
          message: `no tenant ${c.id}`,
        })),
      });
    }
    const digest = flagDigest(input.key, config);
    if (current && current.digest === digest) {
      return { flag: current, changed: false, receiptId: null, tenantReceiptIds: [] };
    }
    const version = (current?.version ?? 0) + 1;
    const change = input.change === "auto" ? (current ? "updated" : "created") : input.change;
    const now = ctx.clock.now();
    const { receipt } = await appendReceipt({
      ctx: txCtx,
      input: {
        kind: `flag.${change}`,
        subject: `flag:${input.key}`,
        input: { key: input.key, version, digest },
        decisionId: input.decisionId,
        links: input.decisionId ? [input.decisionId] : [],
        details: {
          key: input.key,
          version,
          beforeDigest: current?.digest ?? null,
          afterDigest: digest,
          before: current?.config ?? null,
          after: config,
          ...(input.restoredVersion !== undefined ? { restoredVersion: input.restoredVersion } : {}),
          ...input.details,
        },
      },
    });
    const flag: Flag = {
      key: input.key,
      version,
      config,
      digest,
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
      updatedBy: `${ctx.actor.type}:${ctx.actor.id}`,
    };
    await upsertFlagRow(db, flag);
    await insertFlagVersion(db, {
      key: input.key,
      version,
      change,
      before: current?.config ?? null,
      after: config,
      digest,
      actor: flag.updatedBy,
      receiptId: receipt.id,
      restoredVersion: input.restoredVersion ?? null,
      changedAt: now,
    });
    const tenantReceiptIds: string[] = [];
    for (const tenant of tenants) {
      const c = changes.find((x) => x.id === tenant.id);
      if (!c) continue;
      // The partner's own timeline: what changed for them, never another tenant's targeting.
      const { receipt: theirs } = await appendReceipt({
        ctx: { ...txCtx, tenant },
        input: {
          kind: "flag.override.changed",
          subject: `flag:${input.key}`,
          input: { key: input.key, version },
          links: [receipt.id],
          details: {
            key: input.key,
            version,
            change,
            before: c.before,
            after: c.after,
            platformReceiptId: receipt.id,
          },
        },
      });
      tenantReceiptIds.push(theirs.id);
    }
    return { flag, changed: true, receiptId: receipt.id, tenantReceiptIds };
  });
  if (result.changed) invalidateFlagSet(ctx);
  return result;
}
