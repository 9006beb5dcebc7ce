/**
 * The `services` kind's table, as the recipe's step 1 writes it in shared/db/schema/ (here in
 * the test tier only: recipe.ts makes it in the test database). One row a service, by its
 * key within the tenant; `version` and `last_import_id` are the provenance every importable
 * table keeps (the import triggers maintain them).
 */
import { integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, updatedAt } from "../../../shared/db/columns";
import { tenants } from "../../../shared/db/schema/tenants";

export const services = pgTable(
  "services",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id),
    key: text("key").notNull(),
    name: text("name").notNull(),
    ownerEmail: text("owner_email"),
    tier: text("tier", { enum: ["critical", "standard", "best-effort"] }).notNull(),
    version: integer("version").notNull().default(1),
    lastImportId: text("last_import_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("services_tenant_key_key").on(t.tenantId, t.key)],
);
