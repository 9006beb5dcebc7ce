import { index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, updatedAt } from "../columns";
import { tenants } from "./tenants";

/** Typed edges between graph entities, by (from, type, to); ends are entity keys. */
export const graphEdges = pgTable(
  "graph_edges",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id),
    fromKey: text("from_key").notNull(),
    type: text("type").notNull(),
    toKey: text("to_key").notNull(),
    attributes: jsonb("attributes").$type<Record<string, unknown>>().notNull().default({}),
    version: integer("version").notNull().default(1),
    lastImportId: text("last_import_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("graph_edges_tenant_edge_key").on(t.tenantId, t.fromKey, t.type, t.toKey),
    index("graph_edges_tenant_to_idx").on(t.tenantId, t.toKey),
  ],
);

export type GraphEdge = typeof graphEdges.$inferSelect;
