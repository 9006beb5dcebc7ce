import { bigint, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { at, createdAt, tenantId } from "../columns";
import { tenants } from "./tenants";

/** Import source files by content: `imports/<tenant>/sources/<sha256>` in the object store. */
export const importSources = pgTable(
  "import_sources",
  {
    tenantId: tenantId().references(() => tenants.id),
    sha256: text("sha256").notNull(),
    objectKey: text("object_key").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    contentType: text("content_type"),
    /** The file name the partner gave (upload) or null (inline body). */
    name: text("name"),
    createdAt: createdAt(),
    /** Moved by every dry run that reads the source; housekeeping sweeps sources unused and unplanned. */
    lastUsedAt: at("last_used_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.sha256] })],
);

export type ImportSource = typeof importSources.$inferSelect;
