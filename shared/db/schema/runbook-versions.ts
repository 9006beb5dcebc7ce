import { integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt, tenantId } from "../columns";
import { tenants } from "./tenants";

/** Every content a runbook has had: a new row whenever its content hash changes. */
export const runbookVersions = pgTable(
  "runbook_versions",
  {
    tenantId: tenantId().references(() => tenants.id),
    runbookKey: text("runbook_key").notNull(),
    versionNo: integer("version_no").notNull(),
    content: jsonb("content").$type<Record<string, unknown>>().notNull(),
    contentHash: text("content_hash").notNull(),
    importId: text("import_id"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.runbookKey, t.versionNo] })],
);

export type RunbookVersion = typeof runbookVersions.$inferSelect;
