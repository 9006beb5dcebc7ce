import { integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, updatedAt } from "../columns";
import { tenants } from "./tenants";

/**
 * A tenant's command executor: an HTTPS webhook that receives each dispatched command as a
 * JWS signed with the app's key (verify with /.well-known/jwks.json). At most one per tenant;
 * without one, commands wait for an operator to record their outcome.
 */
export const executors = pgTable(
  "executors",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id),
    url: text("url").notNull(),
    timeoutMs: integer("timeout_ms").notNull().default(10_000),
    maxAttempts: integer("max_attempts").notNull().default(5),
    /** Backoff before attempt n+1 is `backoff_seconds * 2^(n-1)`; 0 retries at once (tests). */
    backoffSeconds: integer("backoff_seconds").notNull().default(2),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("executors_tenant_key").on(t.tenantId)],
);

export type Executor = typeof executors.$inferSelect;
