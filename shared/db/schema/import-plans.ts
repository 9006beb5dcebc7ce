import { bigint, boolean, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import type { SourceLayout } from "../../platform/import-reader-port";
import { createdAt, id, tenantId } from "../columns";
import { tenants } from "./tenants";

export interface PlanCounts {
  total: number;
  create: number;
  update: number;
  unchanged: number;
  reject: number;
  conflict: number;
}

/** Objects of one row class in the store: `<prefix>/<class>/<n>.ndjson`, n < files. */
export type PlanFiles = Record<keyof Omit<PlanCounts, "total">, number>;

/**
 * A dry-run plan. The id is content-addressed (see shared/imports/framework/plan/plan-id.ts);
 * its rows are NDJSON objects in the store, not rows here, so a 1M-row plan is a few
 * hundred objects and one row.
 */
export const importPlans = pgTable(
  "import_plans",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id),
    kind: text("kind").notNull(),
    format: text("format").notNull(),
    sourceSha256: text("source_sha256").notNull(),
    sourceName: text("source_name"),
    mapping: jsonb("mapping").$type<Record<string, string>>().notNull().default({}),
    options: jsonb("options").$type<Record<string, unknown>>().notNull().default({}),
    onConflict: text("on_conflict", { enum: ["skip", "overwrite"] })
      .notNull()
      .default("skip"),
    importerVersion: text("importer_version").notNull(),
    bundleVersion: text("bundle_version").notNull(),
    watermark: bigint("watermark", { mode: "number" }).notNull(),
    /** The planning principal's role: row policy decisions depend on it. */
    role: text("role").notNull(),
    /** Same file, mapping, options and importer, whatever the state: "committing the same content again". */
    contentKey: text("content_key").notNull(),
    counts: jsonb("counts").$type<PlanCounts>().notNull(),
    files: jsonb("files").$type<PlanFiles>().notNull(),
    rowsPerChunk: integer("rows_per_chunk").notNull(),
    objectPrefix: text("object_prefix").notNull(),
    /** Set when the create rows are slices of the source: how to read its rows again. */
    sourceLayout: jsonb("source_layout").$type<SourceLayout>(),
    grantsAdmin: boolean("grants_admin").notNull().default(false),
    decisionId: text("decision_id").notNull(),
    manifestKey: text("manifest_key").notNull(),
    manifestDigest: text("manifest_digest").notNull(),
    receiptId: text("receipt_id"),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("import_plans_tenant_idx").on(t.tenantId, t.createdAt)],
);

export type ImportPlan = typeof importPlans.$inferSelect;
