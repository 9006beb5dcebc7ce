import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { at, createdAt, id, tenantId, updatedAt } from "../columns";
import type { PlanCounts } from "./import-plans";
import { tenants } from "./tenants";

export const importStatuses = ["applying", "completed", "failed", "reverting", "reverted"] as const;
export type ImportStatus = (typeof importStatuses)[number];

/**
 * A commit of one plan: one row per plan (unique), so concurrent commits of a plan apply
 * it once. At most one import per tenant and kind is `applying` or `reverting` (partial
 * unique index), so two commits or reverts of a kind never interleave.
 */
export const imports = pgTable(
  "imports",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id),
    planId: text("plan_id").notNull(),
    kind: text("kind").notNull(),
    status: text("status", { enum: importStatuses }).notNull().default("applying"),
    chunksTotal: integer("chunks_total").notNull(),
    chunksDone: integer("chunks_done").notNull().default(0),
    rowsTotal: bigint("rows_total", { mode: "number" }).notNull(),
    rowsApplied: bigint("rows_applied", { mode: "number" }).notNull().default(0),
    /** Planned rows not applied because the state had moved under them (see apply). */
    rowsSkipped: bigint("rows_skipped", { mode: "number" }).notNull().default(0),
    counts: jsonb("counts").$type<PlanCounts>().notNull(),
    contentKey: text("content_key").notNull(),
    manifestDigest: text("manifest_digest").notNull(),
    /** Who committed: chunk receipts are written for them. */
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id").notNull(),
    actorRole: text("actor_role").notNull(),
    decisionId: text("decision_id").notNull(),
    receiptId: text("receipt_id"),
    revertReceiptId: text("revert_receipt_id"),
    error: text("error"),
    startedAt: at("started_at").notNull(),
    completedAt: at("completed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("imports_tenant_plan_key").on(t.tenantId, t.planId),
    uniqueIndex("imports_tenant_kind_applying_key")
      .on(t.tenantId, t.kind)
      .where(sql`${t.status} in ('applying', 'reverting')`),
    index("imports_tenant_content_idx").on(t.tenantId, t.contentKey),
    /** Lists: newest first by (created_at, id), each filter with its own index in that order (keyset pages). */
    index("imports_tenant_list_idx").on(t.tenantId, t.createdAt, t.id),
    index("imports_tenant_kind_list_idx").on(t.tenantId, t.kind, t.createdAt, t.id),
    index("imports_tenant_status_list_idx").on(t.tenantId, t.status, t.createdAt, t.id),
  ],
);

export type Import = typeof imports.$inferSelect;
