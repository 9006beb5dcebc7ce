/**
 * The checklist as a partner sees it: each step's state, when and by whom, the proving
 * receipt and what to do next. Reading it first completes whatever the log already proves.
 */
import type { TenantCtx } from "../context/context";
import { completeSetupFromLog } from "./completion";
import { listSetupSteps } from "./setup-repo";
import { type NextAction, type SetupStepKey, setupSteps } from "./steps";

export interface ChecklistStepView {
  step: SetupStepKey;
  title: string;
  state: "pending" | "done" | "skipped";
  source: "event" | "manual" | null;
  at: string | null;
  by: string | null;
  proofReceiptId: string | null;
  receiptId: string | null;
  reason: string | null;
  next: NextAction | null;
}

export interface ChecklistView {
  done: number;
  skipped: number;
  total: number;
  complete: boolean;
  steps: ChecklistStepView[];
  next: (NextAction & { step: SetupStepKey }) | null;
}

export async function getChecklist({ ctx }: { ctx: TenantCtx }): Promise<ChecklistView> {
  await completeSetupFromLog({ ctx });
  const rows = new Map((await listSetupSteps(ctx.db, ctx.tenant.id)).map((r) => [r.step, r]));
  const steps = setupSteps.map((def): ChecklistStepView => {
    const row = rows.get(def.key);
    return {
      step: def.key,
      title: def.title,
      state: row?.state ?? "pending",
      source: row?.source ?? null,
      at: row?.doneAt.toISOString() ?? null,
      by: row?.doneBy ?? null,
      proofReceiptId: row?.proofReceiptId ?? null,
      receiptId: row?.receiptId ?? null,
      reason: row?.reason ?? null,
      next: row ? null : def.next,
    };
  });
  const done = steps.filter((s) => s.state === "done").length;
  const skipped = steps.filter((s) => s.state === "skipped").length;
  const pending = steps.find((s) => s.state === "pending");
  return {
    done,
    skipped,
    total: steps.length,
    complete: done + skipped === steps.length,
    steps,
    next: pending?.next ? { step: pending.step, ...pending.next } : null,
  };
}
