import { pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { at, tenantId } from "../columns";
import { tenants } from "./tenants";

/**
 * The guided-setup checklist, one row per finished step (a missing row is a pending step).
 * The primary key is what makes completion happen once: whoever inserts the row writes the
 * `setup.step.done` receipt, everyone racing it does nothing. `proof_receipt_id` is the
 * receipt that proved the step (`source = event`); a step an admin marked (`source = manual`)
 * has none until a real event arrives and replaces the mark.
 */
export const setupSteps = pgTable(
  "setup_steps",
  {
    tenantId: tenantId().references(() => tenants.id),
    step: text("step").notNull(),
    state: text("state", { enum: ["done", "skipped"] }).notNull(),
    source: text("source", { enum: ["event", "manual"] }).notNull(),
    proofReceiptId: text("proof_receipt_id"),
    /** When the step was done: the proving receipt's time, or the admin's mark. */
    doneAt: at("done_at").notNull(),
    /** Who did it: the proving receipt's actor, or the admin who marked it. */
    doneBy: text("done_by").notNull(),
    /** The `setup.step.done` / `setup.step.skipped` receipt. */
    receiptId: text("receipt_id").notNull(),
    reason: text("reason"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.step] })],
);

export type SetupStep = typeof setupSteps.$inferSelect;
