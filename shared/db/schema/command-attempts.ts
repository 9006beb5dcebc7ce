import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { at, id, tenantId } from "../columns";
import { tenants } from "./tenants";

/**
 * Every delivery of a command to the executor. (command_id, attempt_no) is unique: a
 * redelivered queue message finds its attempt taken and does not call the executor twice.
 */
export const commandAttempts = pgTable(
  "command_attempts",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id),
    commandId: text("command_id").notNull(),
    attemptNo: integer("attempt_no").notNull(),
    /** `sending` until the answer (or error) is recorded. */
    outcome: text("outcome", { enum: ["sending", "succeeded", "failed", "retry"] }).notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms"),
    startedAt: at("started_at").notNull(),
    finishedAt: at("finished_at"),
  },
  (t) => [
    uniqueIndex("command_attempts_command_attempt_key").on(t.tenantId, t.commandId, t.attemptNo),
    index("command_attempts_tenant_command_idx").on(t.tenantId, t.commandId),
  ],
);

export type CommandAttempt = typeof commandAttempts.$inferSelect;
