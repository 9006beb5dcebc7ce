import { boolean, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { at, createdAt, id, tenantId, updatedAt } from "../columns";
import { tenants } from "./tenants";

export const commandStatuses = [
  "requested",
  "awaiting_approval",
  "dispatched",
  "succeeded",
  "failed",
  "cancelled",
] as const;
export type CommandStatus = (typeof commandStatuses)[number];

/**
 * A named command on a target (`service.restart` on `svc:checkout-api`). `requested_by_*`
 * keep who asked, so the queue acts for them (policy) and the approval is `in` them (four eyes).
 */
export const commands = pgTable(
  "commands",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id),
    name: text("name").notNull(),
    target: text("target").notNull(),
    params: jsonb("params").$type<Record<string, unknown>>().notNull().default({}),
    status: text("status", { enum: commandStatuses }).notNull(),
    requiresApproval: boolean("requires_approval").notNull().default(false),
    approvalId: text("approval_id"),
    incidentId: text("incident_id"),
    runId: text("run_id"),
    /** `webhook` when a tenant executor receives it, `manual` when an operator records the outcome. */
    dispatchMode: text("dispatch_mode", { enum: ["webhook", "manual"] }),
    attemptCount: integer("attempt_count").notNull().default(0),
    requestedByType: text("requested_by_type").notNull(),
    requestedById: text("requested_by_id").notNull(),
    requestedByRole: text("requested_by_role").notNull(),
    outcome: jsonb("outcome").$type<Record<string, unknown>>(),
    error: text("error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    dispatchedAt: at("dispatched_at"),
    finishedAt: at("finished_at"),
  },
  (t) => [
    /** Lists: newest first by (created_at, id), each filter with its own index in that order (keyset pages). */
    index("commands_tenant_list_idx").on(t.tenantId, t.createdAt, t.id),
    index("commands_tenant_status_list_idx").on(t.tenantId, t.status, t.createdAt, t.id),
    index("commands_tenant_incident_idx").on(t.tenantId, t.incidentId),
    index("commands_tenant_run_idx").on(t.tenantId, t.runId),
    /** The `command-sweep` cron looks for webhook commands still `dispatched` long after dispatch. */
    index("commands_status_dispatched_idx").on(t.status, t.dispatchedAt),
  ],
);

export type Command = typeof commands.$inferSelect;
