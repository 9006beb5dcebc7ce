import { index, pgTable, text } from "drizzle-orm/pg-core";
import { at, createdAt, id, tenantId } from "../columns";
import { tenants } from "./tenants";

/** A round trip through the deployment: request → database → queue → consumer → database. */
export const selfTests = pgTable(
  "self_tests",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id),
    status: text("status", { enum: ["queued", "passed"] })
      .notNull()
      .default("queued"),
    requestedBy: text("requested_by").notNull(),
    consumerRuntime: text("consumer_runtime"),
    createdAt: createdAt(),
    completedAt: at("completed_at"),
  },
  (t) => [index("self_tests_tenant_idx").on(t.tenantId, t.createdAt)],
);

export type SelfTest = typeof selfTests.$inferSelect;
