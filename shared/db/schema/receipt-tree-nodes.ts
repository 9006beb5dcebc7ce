import { bigint, pgTable, primaryKey, smallint, text } from "drizzle-orm/pg-core";
import { tenantId } from "../columns";
import { tenants } from "./tenants";

/**
 * The stored levels of each tenant's Merkle tree: the hash of every complete,
 * aligned subtree whose level is a positive multiple of 4 (16, 256, 4096, …
 * leaves), written with the append that completes it and never changed after.
 * Leaves are `receipts.leaf_hash`. A proof reads at most two runs of 16 hashes
 * per stored level and hashes the levels in between (shared/receipts/tree/).
 */
export const receiptTreeNodes = pgTable(
  "receipt_tree_nodes",
  {
    tenantId: tenantId().references(() => tenants.id),
    level: smallint("level").notNull(),
    /** The subtree covers leaves idx·2^level … (idx+1)·2^level − 1. */
    idx: bigint("idx", { mode: "number" }).notNull(),
    /** RFC 6962 node hash, lower-case hex. */
    hash: text("hash").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.level, t.idx] })],
);

export type ReceiptTreeNode = typeof receiptTreeNodes.$inferSelect;
