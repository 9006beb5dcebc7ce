import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { at, tenantId } from "../columns";
import { tenants } from "./tenants";

/**
 * Product telemetry events, of two sources:
 * - `action`: written by the ops actions (commands, approvals, incidents, runbooks); `id` IS the
 *   receipt id of the action, the canonical id that links receipt, decision, event and log line.
 * - `client`: sent by a partner's client in batches (`POST /v1/telemetry/events`); `id` is the
 *   `cev_` + a digest of (tenant, the client's event id), so a resend is a duplicate within the
 *   tenant and never collides across tenants; `client_event_id` keeps the client's own id, `kind`
 *   the event name and `subject` the screen. Kept for TELEMETRY_EVENTS_RETENTION_DAYS.
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
    source: text("source", { enum: ["action", "client"] })
      .notNull()
      .default("action"),
    clientEventId: text("client_event_id"),
    actionId: text("action_id"),
    receiptId: text("receipt_id"),
    decisionId: text("decision_id"),
    receivedAt: at("received_at"),
  },
  (t) => [
    index("telemetry_events_tenant_at_idx").on(t.tenantId, t.at),
    index("telemetry_events_received_idx").on(t.source, t.receivedAt),
  ],
);

export type TelemetryEvent = typeof telemetryEvents.$inferSelect;
