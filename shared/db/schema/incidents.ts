import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { at, bytewiseText, createdAt, updatedAt } from "../columns";

/** Incidents by their source id (`key`). Imported ones keep their historical timestamps. */
export const incidents = pgTable(
  "incidents",
  {
    /** Byte-ordered like the tenant and key: see `bytewiseText`. */
    id: bytewiseText("id").primaryKey(),
    /**
     * No row-level foreign key: the tenant is checked once per statement instead, by the
     * `incidents_state_*` triggers, whose `tenant_state` row references `tenants` (and
     * keeps the tenant from being deleted). Imports write incidents by the million, and a
     * per-row check cost a third of the COPY that stores them.
     */
    tenantId: bytewiseText("tenant_id").notNull(),
    key: bytewiseText("key").notNull(),
    number: integer("number"),
    title: text("title").notNull(),
    description: text("description"),
    status: text("status", { enum: ["triggered", "acknowledged", "resolved"] }).notNull(),
    urgency: text("urgency", { enum: ["high", "low"] }),
    priority: text("priority"),
    service: text("service"),
    /** Set through the API (open, resolve); imports carry urgency and priority instead. */
    severity: text("severity"),
    escalationPolicy: text("escalation_policy"),
    openedAt: at("opened_at").notNull(),
    acknowledgedAt: at("acknowledged_at"),
    resolvedAt: at("resolved_at"),
    assignee: text("assignee"),
    runbook: text("runbook"),
    source: text("source", { enum: ["import", "api"] }).notNull(),
    version: integer("version").notNull().default(1),
    lastImportId: text("last_import_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("incidents_tenant_key_key").on(t.tenantId, t.key),
    /** Lists: newest first by (created_at, id), each filter with its own index in that order (keyset pages). */
    index("incidents_tenant_list_idx").on(t.tenantId, t.createdAt, t.id),
    index("incidents_tenant_status_list_idx").on(t.tenantId, t.status, t.createdAt, t.id),
  ],
);

export type Incident = typeof incidents.$inferSelect;
