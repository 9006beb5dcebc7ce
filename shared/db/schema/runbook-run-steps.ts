import { boolean, index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { at, tenantId } from "../columns";
import { tenants } from "./tenants";

export const stepStatuses = [
  "pending",
  "awaiting_approval",
  "awaiting_operator",
  "running",
  "completed",
  "failed",
  "cancelled",
] as const;
export type StepStatus = (typeof stepStatuses)[number];

/** The steps of a run, copied from the runbook version at launch, advanced in `step_no` order. */
export const runbookRunSteps = pgTable(
  "runbook_run_steps",
  {
    tenantId: tenantId().references(() => tenants.id),
    runId: text("run_id").notNull(),
    stepNo: integer("step_no").notNull(),
    stepKey: text("step_key").notNull(),
    title: text("title").notNull(),
    kind: text("kind", { enum: ["manual", "command"] }).notNull(),
    requiresApproval: boolean("requires_approval").notNull().default(false),
    /** For a command step: `{ command, params }` with the run's inputs filled in. */
    spec: jsonb("spec").$type<Record<string, unknown>>().notNull().default({}),
    /** The runbook step's `timeout`: how long the step may wait once it has started. */
    timeoutSeconds: integer("timeout_seconds"),
    /** Set when the step first leaves `pending`; the `step-timeouts` cron fails it after this. */
    deadlineAt: at("deadline_at"),
    status: text("status", { enum: stepStatuses }).notNull().default("pending"),
    approvalId: text("approval_id"),
    commandId: text("command_id"),
    completedBy: text("completed_by"),
    note: text("note"),
    startedAt: at("started_at"),
    finishedAt: at("finished_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.runId, t.stepNo] }),
    index("runbook_run_steps_status_deadline_idx").on(t.status, t.deadlineAt),
  ],
);

export type RunbookRunStep = typeof runbookRunSteps.$inferSelect;
