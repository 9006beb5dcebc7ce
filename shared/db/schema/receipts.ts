import { bigint, index, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { at, tenantId } from "../columns";
import { tenants } from "./tenants";

/**
 * The per-tenant append-only receipt log. `seq` is gap-free from 0; `leaf_hash`
 * is the RFC 6962 leaf (SHA-256(0x00 ‖ digest)); `chain` = SHA-256(prev chain ‖ digest).
 * `id` is derived from the logical action, so a retry finds the receipt it made.
 */
export const receipts = pgTable(
  "receipts",
  {
    tenantId: tenantId().references(() => tenants.id),
    seq: bigint("seq", { mode: "number" }).notNull(),
    id: text("id").notNull(),
    kind: text("kind").notNull(),
    actor: text("actor").notNull(),
    subject: text("subject").notNull(),
    inputDigest: text("input_digest").notNull(),
    outputDigest: text("output_digest"),
    decisionId: text("decision_id"),
    links: jsonb("links").$type<string[]>().notNull().default([]),
    /** Receipt-specific facts (counts, reasons); part of the digest. */
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: at("occurred_at").notNull(),
    digest: text("digest").notNull(),
    leafHash: text("leaf_hash").notNull(),
    chain: text("chain").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.seq] }),
    uniqueIndex("receipts_tenant_id_key").on(t.tenantId, t.id),
    /** The timeline: newest first by (occurred_at, seq), each filter with its own index in that order. */
    index("receipts_tenant_time_idx").on(t.tenantId, t.occurredAt, t.seq),
    index("receipts_tenant_kind_idx").on(t.tenantId, t.kind, t.occurredAt, t.seq),
    index("receipts_tenant_actor_idx").on(t.tenantId, t.actor, t.occurredAt, t.seq),
    index("receipts_tenant_subject_idx").on(t.tenantId, t.subject, t.occurredAt, t.seq),
  ],
);

/** The head of each tenant's log: size, chain head and the Merkle frontier for O(log n) appends. */
export const receiptLogs = pgTable("receipt_logs", {
  tenantId: tenantId()
    .primaryKey()
    .references(() => tenants.id),
  size: bigint("size", { mode: "number" }).notNull().default(0),
  chain: text("chain").notNull(),
  /** Roots of the perfect subtrees covering the leaves, largest first (hex). */
  frontier: jsonb("frontier").$type<string[]>().notNull().default([]),
  rootHash: text("root_hash").notNull(),
  /**
   * Leaves below this seq have no stored tree nodes yet (a log written before the
   * tree was stored); the first proof read builds them and sets it to 0.
   */
  treeMissingBelow: bigint("tree_missing_below", { mode: "number" }).notNull().default(0),
  updatedAt: at("updated_at").notNull(),
});

export type Receipt = typeof receipts.$inferSelect;
export type ReceiptLog = typeof receiptLogs.$inferSelect;
