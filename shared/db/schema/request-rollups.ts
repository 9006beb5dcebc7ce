import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
} from "drizzle-orm/pg-core";
import { at } from "../columns";

/**
 * Server request telemetry, rolled up per tenant, route template, method and minute: a row
 * count that grows with routes × minutes, never with requests. `histogram` holds latency
 * counts by log bucket (`shared/telemetry/histogram.ts`), from which p50/p95/p99 are read.
 * `tenant_id` is '' for requests no credential placed in a tenant (not a foreign key).
 */
export const requestRollups = pgTable(
  "request_rollups",
  {
    tenantId: text("tenant_id").notNull(),
    minute: at("minute").notNull(),
    route: text("route").notNull(),
    method: text("method").notNull(),
    count: integer("count").notNull(),
    status2xx: integer("status_2xx").notNull().default(0),
    status3xx: integer("status_3xx").notNull().default(0),
    status4xx: integer("status_4xx").notNull().default(0),
    status5xx: integer("status_5xx").notNull().default(0),
    latencySumMs: doublePrecision("latency_sum_ms").notNull(),
    latencyMaxMs: doublePrecision("latency_max_ms").notNull(),
    histogram: jsonb("histogram").$type<Record<string, number>>().notNull(),
    bytesIn: bigint("bytes_in", { mode: "number" }).notNull().default(0),
    bytesOut: bigint("bytes_out", { mode: "number" }).notNull().default(0),
    /** Requests that produced a receipt (`x-receipt-id`). */
    receipts: integer("receipts").notNull().default(0),
    /** The latest request of the row and the receipt it produced: a way into the logs and the log. */
    lastRequestId: text("last_request_id"),
    lastReceiptId: text("last_receipt_id"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.minute, t.route, t.method] }),
    index("request_rollups_minute_idx").on(t.minute),
  ],
);

export type RequestRollup = typeof requestRollups.$inferSelect;
