import { index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { at, createdAt, id, updatedAt } from "../columns";

/**
 * Job state for the in-process queue on Node: a restart resumes what is
 * pending, and a job whose lease ran out (process killed mid-job) is taken again.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: id(),
    type: text("type").notNull(),
    body: jsonb("body").notNull(),
    status: text("status", { enum: ["pending", "running", "done", "dead"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    runAfter: at("run_after").notNull().defaultNow(),
    leaseUntil: at("lease_until"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("jobs_due_idx").on(t.status, t.runAfter)],
);

export type Job = typeof jobs.$inferSelect;
