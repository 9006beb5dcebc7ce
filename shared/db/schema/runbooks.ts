import { index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, updatedAt } from "../columns";
import { tenants } from "./tenants";

/**
 * Runbooks by their partner-given id (`key`). `content` is the normalized runbook
 * (shared/imports/importers/runbooks), `content_hash` its SHA-256 over JCS;
 * `current_version` names the latest row of runbook_versions.
 */
export const runbooks = pgTable(
  "runbooks",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id),
    key: text("key").notNull(),
    title: text("title").notNull(),
    content: jsonb("content").$type<Record<string, unknown>>().notNull(),
    contentHash: text("content_hash").notNull(),
    currentVersion: integer("current_version").notNull().default(1),
    /** Bumped by every write (trigger); with last_import_id it tells revert whether a later change touched the row. */
    version: integer("version").notNull().default(1),
    /** The import that last wrote the row; null after any other write. */
    lastImportId: text("last_import_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("runbooks_tenant_key_key").on(t.tenantId, t.key),
    /** The list: newest first by (created_at, id), keyset pages. */
    index("runbooks_tenant_list_idx").on(t.tenantId, t.createdAt, t.id),
  ],
);

export type Runbook = typeof runbooks.$inferSelect;
