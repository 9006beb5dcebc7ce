import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { at, createdAt, id, tenantId } from "../columns";
import { tenants } from "./tenants";

export const approvalStatuses = ["pending", "approved", "denied", "expired", "cancelled"] as const;
export type ApprovalStatus = (typeof approvalStatuses)[number];

/**
 * A request for a second person's yes: on a command or on a runbook run's step. The
 * requester is kept as a Cedar principal (type, id) so the approval is `in` them (four eyes).
 */
export const approvals = pgTable(
  "approvals",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id),
    subjectType: text("subject_type", { enum: ["command", "runbook_step"] }).notNull(),
    /** The command id, or `run_id/step_id`. */
    subjectId: text("subject_id").notNull(),
    summary: text("summary").notNull(),
    status: text("status", { enum: approvalStatuses }).notNull().default("pending"),
    requestedByType: text("requested_by_type").notNull(),
    requestedById: text("requested_by_id").notNull(),
    decidedBy: text("decided_by"),
    reason: text("reason"),
    decisionId: text("decision_id"),
    expiresAt: at("expires_at").notNull(),
    createdAt: createdAt(),
    decidedAt: at("decided_at"),
    /** requested → decided (or expired), in milliseconds. */
    cycleMs: integer("cycle_ms"),
  },
  (t) => [
    /** Lists: newest first by (created_at, id), each filter with its own index in that order (keyset pages). */
    index("approvals_tenant_list_idx").on(t.tenantId, t.createdAt, t.id),
    index("approvals_tenant_status_list_idx").on(t.tenantId, t.status, t.createdAt, t.id),
    index("approvals_status_expires_idx").on(t.status, t.expiresAt),
  ],
);

export type Approval = typeof approvals.$inferSelect;
