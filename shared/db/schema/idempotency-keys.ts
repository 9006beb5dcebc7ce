import { integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { at, createdAt, tenantId } from "../columns";
import { tenants } from "./tenants";

/**
 * `Idempotency-Key` requests (IETF httpapi draft): the first response per tenant and key,
 * replayed for a retry of the same request until `expires_at`.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    tenantId: tenantId().references(() => tenants.id),
    key: text("key").notNull(),
    /** SHA-256 over method, path and query, and the body's SHA-256. */
    fingerprint: text("fingerprint").notNull(),
    status: text("status", { enum: ["in_flight", "done"] }).notNull(),
    /** An in-flight request older than this is taken to have died (its key may be reused). */
    lockedUntil: at("locked_until").notNull(),
    responseStatus: integer("response_status"),
    responseHeaders: jsonb("response_headers").$type<Record<string, string>>(),
    responseBody: text("response_body"),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);

export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;
