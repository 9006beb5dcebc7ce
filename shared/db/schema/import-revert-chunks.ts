import { index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { at, tenantId } from "../columns";
import { tenants } from "./tenants";

/**
 * One chunk of a revert: the rows that import chunk `chunk_no` applied, undone in one
 * transaction. The queue message names it; its state lives here.
 */
export const importRevertChunks = pgTable(
  "import_revert_chunks",
  {
    tenantId: tenantId().references(() => tenants.id),
    importId: text("import_id").notNull(),
    /** The import chunk it undoes (import_chunks.chunk_no). */
    chunkNo: integer("chunk_no").notNull(),
    status: text("status", { enum: ["pending", "reverted", "dead"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    deleted: integer("deleted").notNull().default(0),
    restored: integer("restored").notNull().default(0),
    /** Keys left alone because they changed after the revert was planned (never undone unreviewed). */
    skipped: jsonb("skipped").$type<string[]>().notNull().default([]),
    lastError: text("last_error"),
    receiptId: text("receipt_id"),
    revertedAt: at("reverted_at"),
  },
  (t) => [
    primaryKey({ columns: [t.importId, t.chunkNo] }),
    index("import_revert_chunks_tenant_idx").on(t.tenantId, t.importId, t.status),
  ],
);

export type ImportRevertChunk = typeof importRevertChunks.$inferSelect;
