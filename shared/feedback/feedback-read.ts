/**
 * Reading feedback with what it is linked to: the receipt, the policy decision (its
 * determining policies and remediation) and the timeline segment around the action: the
 * acting operator's receipts up to 15 minutes, and 10 receipts, either side of it.
 */
import type { TenantCtx } from "../context/context";
import type { DecisionRecord, Feedback, Receipt } from "../db/schema";
import { AppError } from "../errors/app-error";
import { decodeCursor, pageOf } from "../pagination/cursor";
import { findDecision } from "../policy/decision-repo";
import { findReceipt } from "../receipts/log-repo";
import {
  actorReceiptsAround,
  countFriction,
  countFrictionBy,
  decisionsByIds,
  type FeedbackFilter,
  findFeedback,
  listFeedback,
} from "./feedback-repo";

export const timelineWindowMs = 15 * 60_000;
export const timelineEachSide = 10;

export interface LinkedFeedback {
  feedback: Feedback;
  receipt: Receipt | null;
  decision: DecisionRecord | null;
  timeline: { actor: string; from: Date; to: Date; items: Receipt[] };
}

export async function linkedView(
  ctx: TenantCtx,
  row: Feedback,
  known: { receipt?: Receipt; decision?: DecisionRecord } = {},
): Promise<LinkedFeedback> {
  const receipt =
    known.receipt ?? (row.receiptId ? await findReceipt(ctx.db, ctx.tenant.id, row.receiptId) : undefined);
  const decision =
    known.decision ??
    (row.decisionId ? await findDecision(ctx.db, ctx.tenant.id, row.decisionId) : undefined);
  // The operator who acted: the linked receipt's actor, else whoever sent the feedback.
  const actor = receipt?.actor ?? row.actor;
  const anchor = receipt ? { at: receipt.occurredAt, seq: receipt.seq } : { at: row.createdAt };
  const segment = await actorReceiptsAround(
    ctx.db,
    ctx.tenant.id,
    actor,
    anchor,
    timelineWindowMs,
    timelineEachSide,
  );
  return {
    feedback: row,
    receipt: receipt ?? null,
    decision: decision ?? null,
    timeline: { actor, ...segment },
  };
}

export async function getFeedback({ ctx, id }: { ctx: TenantCtx; id: string }): Promise<LinkedFeedback> {
  const row = await findFeedback(ctx.db, ctx.tenant.id, id);
  if (!row) throw new AppError("not_found", `No feedback ${id} in this tenant.`);
  return linkedView(ctx, row);
}

export async function listTenantFeedback({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: FeedbackFilter & { limit: number; cursor?: string };
}) {
  const { limit, cursor, ...filter } = input;
  const rows = await listFeedback(ctx.db, ctx.tenant.id, filter, { limit, before: decodeCursor(cursor) });
  return pageOf(rows, limit);
}

export interface FrictionCounts {
  total: number;
  byScreen: { screen: string; count: number }[];
  byActionKind: { actionKind: string; count: number }[];
  byDecision: {
    decisionId: string;
    action: string | null;
    decision: string | null;
    determiningPolicies: string[];
    count: number;
  }[];
  byPolicy: { policy: string; count: number }[];
}

/** Friction reports counted per screen, per linked action kind and per policy decision. */
export async function frictionCounts({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: Pick<FeedbackFilter, "from" | "to">;
}): Promise<FrictionCounts> {
  const [screens, kinds, decided] = [
    await countFrictionBy(ctx.db, ctx.tenant.id, "screen", input),
    await countFrictionBy(ctx.db, ctx.tenant.id, "actionKind", input),
    await countFrictionBy(ctx.db, ctx.tenant.id, "decisionId", input),
  ];
  const records = new Map(
    (
      await decisionsByIds(
        ctx.db,
        ctx.tenant.id,
        decided.map((d) => String(d.key)),
      )
    ).map((d) => [d.id, d]),
  );
  const byDecision = decided.map((d) => {
    const record = records.get(String(d.key));
    return {
      decisionId: String(d.key),
      action: record?.action ?? null,
      decision: record?.decision ?? null,
      determiningPolicies: record?.determiningPolicies ?? [],
      count: d.n,
    };
  });
  const byPolicy = new Map<string, number>();
  for (const d of byDecision)
    for (const policy of d.determiningPolicies) byPolicy.set(policy, (byPolicy.get(policy) ?? 0) + d.count);
  return {
    total: await countFriction(ctx.db, ctx.tenant.id, input),
    byScreen: screens.map((s) => ({ screen: String(s.key), count: s.n })),
    byActionKind: kinds.map((k) => ({ actionKind: String(k.key), count: k.n })),
    byDecision,
    byPolicy: [...byPolicy].map(([policy, count]) => ({ policy, count })).sort((a, b) => b.count - a.count),
  };
}
