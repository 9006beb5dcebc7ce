import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { at, tenantId } from "../columns";
import { tenants } from "./tenants";

/**
 * Product telemetry events. For now written by the ops actions (commands, approvals,
 * incidents, runbooks): `id` IS the receipt id of the action, the canonical id that links
 * receipt, decision, event and log line. The telemetry capability extends this table.
 */
export const telemetryEvents = pgTable(
  "telemetry_events",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId().references(() => tenants.id),
    kind: text("kind").notNull(),
    actor: text("actor").notNull(),
    subject: text("subject").notNull(),
    props: jsonb("props").$type<Record<string, unknown>>().notNull().default({}),
    at: at("at").notNull(),
  },
  (t) => [index("telemetry_events_tenant_at_idx").on(t.tenantId, t.at)],
);

export type TelemetryEvent = typeof telemetryEvents.$inferSelect;
