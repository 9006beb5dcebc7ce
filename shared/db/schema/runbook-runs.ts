import { index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { at, createdAt, id, tenantId, updatedAt } from "../columns";
import { tenants } from "./tenants";

export const runStatuses = ["running", "waiting", "succeeded", "failed", "cancelled"] as const;
export type RunStatus = (typeof runStatuses)[number];

/** One launch of one runbook version, for an incident or on its own. Steps: runbook_run_steps. */
export const runbookRuns = pgTable(
  "runbook_runs",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id),
    runbookId: text("runbook_id").notNull(),
    runbookKey: text("runbook_key").notNull(),
    runbookVersion: integer("runbook_version").notNull(),
    incidentId: text("incident_id"),
    inputs: jsonb("inputs").$type<Record<string, unknown>>().notNull().default({}),
    status: text("status", { enum: runStatuses }).notNull(),
    startedByType: text("started_by_type").notNull(),
    startedById: text("started_by_id").notNull(),
    startedByRole: text("started_by_role").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: at("finished_at"),
  },
  (t) => [
    /** The list: newest first by (created_at, id), keyset pages. */
    index("runbook_runs_tenant_list_idx").on(t.tenantId, t.createdAt, t.id),
    index("runbook_runs_tenant_incident_idx").on(t.tenantId, t.incidentId),
  ],
);

export type RunbookRun = typeof runbookRuns.$inferSelect;
