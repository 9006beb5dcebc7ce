import { integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { at } from "../columns";

/** The last run of each scheduled task, for /readyz and the operators' status page. */
export const cronRuns = pgTable("cron_runs", {
  task: text("task").primaryKey(),
  runs: integer("runs").notNull().default(0),
  lastStartedAt: at("last_started_at").notNull(),
  lastFinishedAt: at("last_finished_at"),
  lastResult: jsonb("last_result"),
});
