import { index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { at, tenantId } from "../columns";
import { tenants } from "./tenants";

/**
 * One queue-sized slice of an import: a plan object (`class`/`file`) applied in one
 * transaction. The queue message names it; its state lives here.
 */
export const importChunks = pgTable(
  "import_chunks",
  {
    tenantId: tenantId().references(() => tenants.id),
    importId: text("import_id").notNull(),
    chunkNo: integer("chunk_no").notNull(),
    /** The plan object: rows of class `create` or `update`, file number `file`. */
    rowClass: text("row_class", { enum: ["create", "update"] }).notNull(),
    file: integer("file").notNull(),
    rows: integer("rows").notNull(),
    status: text("status", { enum: ["pending", "applied", "dead"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    applied: integer("applied").notNull().default(0),
    /** Keys not applied because the row changed after the plan (never applied unreviewed). */
    skipped: jsonb("skipped").$type<string[]>().notNull().default([]),
    lastError: text("last_error"),
    receiptId: text("receipt_id"),
    appliedAt: at("applied_at"),
  },
  (t) => [
    primaryKey({ columns: [t.importId, t.chunkNo] }),
    index("import_chunks_tenant_idx").on(t.tenantId, t.importId, t.status),
  ],
);

export type ImportChunk = typeof importChunks.$inferSelect;
