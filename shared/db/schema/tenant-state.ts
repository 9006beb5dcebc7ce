import { bigint, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { at, tenantId } from "../columns";
import { tenants } from "./tenants";

/**
 * The state watermark: a per-tenant, per-import-kind counter bumped by every statement
 * that changes that kind's rows, imports and API writes alike (database triggers, see the
 * `imports_triggers` migration). A plan records it; commit compares it.
 */
export const tenantState = pgTable(
  "tenant_state",
  {
    tenantId: tenantId().references(() => tenants.id),
    kind: text("kind").notNull(),
    version: bigint("version", { mode: "number" }).notNull().default(0),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind] })],
);

export type TenantState = typeof tenantState.$inferSelect;
