import { index, pgTable, text } from "drizzle-orm/pg-core";
import { at, tenantId } from "../columns";
import { tenants } from "./tenants";

/**
 * In-product feedback, linked to what happened: the receipt and policy decision the sender
 * was looking at (both checked to be the tenant's own on the way in). `action_kind` is the
 * linked receipt's kind (`policy.denied`, `command.requested`), kept for friction counts.
 */
export const feedback = pgTable(
  "feedback",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId().references(() => tenants.id),
    kind: text("kind", { enum: ["friction", "bug", "idea"] }).notNull(),
    message: text("message").notNull(),
    screen: text("screen").notNull(),
    actionId: text("action_id").notNull(),
    actionKind: text("action_kind"),
    decisionId: text("decision_id"),
    receiptId: text("receipt_id"),
    /** Who sent it: `api_key:key_…`, `operator:op_…`. */
    actor: text("actor").notNull(),
    requestId: text("request_id"),
    /** The `feedback.submitted` receipt. */
    submittedReceiptId: text("submitted_receipt_id").notNull(),
    createdAt: at("created_at").notNull(),
  },
  (t) => [
    index("feedback_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("feedback_tenant_screen_idx").on(t.tenantId, t.screen),
  ],
);

export type Feedback = typeof feedback.$inferSelect;
