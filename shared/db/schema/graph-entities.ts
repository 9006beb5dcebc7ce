import { integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, updatedAt } from "../columns";
import { tenants } from "./tenants";

/** Service graph nodes ("svc:checkout-api", "db:orders", …) by key. */
export const graphEntities = pgTable(
  "graph_entities",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id),
    key: text("key").notNull(),
    type: text("type").notNull(),
    name: text("name").notNull(),
    attributes: jsonb("attributes").$type<Record<string, unknown>>().notNull().default({}),
    version: integer("version").notNull().default(1),
    lastImportId: text("last_import_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("graph_entities_tenant_key_key").on(t.tenantId, t.key)],
);

export type GraphEntity = typeof graphEntities.$inferSelect;
