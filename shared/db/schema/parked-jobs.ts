import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { at, tenantId } from "../columns";
import { tenants } from "./tenants";

/**
 * Queue messages of a suspended tenant, held instead of run: its commands are not delivered and
 * its imports and self-tests wait. The `resume-parked-jobs` cron task sends them again once the
 * tenant is active. The id is derived from the message, so a redelivered or re-sent message is
 * parked once.
 */
export const parkedJobs = pgTable(
  "parked_jobs",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId().references(() => tenants.id),
    type: text("type").notNull(),
    body: jsonb("body").notNull(),
    parkedAt: at("parked_at").notNull(),
  },
  (t) => [index("parked_jobs_tenant_idx").on(t.tenantId, t.parkedAt)],
);

export type ParkedJob = typeof parkedJobs.$inferSelect;
