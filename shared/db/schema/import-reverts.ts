import { bigint, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { at, createdAt, tenantId } from "../columns";
import { tenants } from "./tenants";

/**
 * The revert of one import (at most one): who asked, the decision that allowed it, and its
 * progress. It runs chunk by chunk through the queue (import_revert_chunks), one
 * transaction per chunk, and completes with the `import.reverted` receipt.
 */
export const importReverts = pgTable(
  "import_reverts",
  {
    tenantId: tenantId().references(() => tenants.id),
    importId: text("import_id").notNull(),
    /** Who reverted: the chunk receipts are written for them. */
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id").notNull(),
    actorRole: text("actor_role").notNull(),
    decisionId: text("decision_id").notNull(),
    chunksTotal: integer("chunks_total").notNull(),
    chunksDone: integer("chunks_done").notNull().default(0),
    /** Rows the import created and the revert deleted, rows it updated and the revert set back. */
    deleted: bigint("deleted", { mode: "number" }).notNull().default(0),
    restored: bigint("restored", { mode: "number" }).notNull().default(0),
    /** Rows left as they are because a change landed on them after the revert was planned. */
    skipped: bigint("skipped", { mode: "number" }).notNull().default(0),
    error: text("error"),
    receiptId: text("receipt_id"),
    startedAt: at("started_at").notNull(),
    completedAt: at("completed_at"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.importId] })],
);

export type ImportRevert = typeof importReverts.$inferSelect;
