import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { at, id, tenantId } from "../columns";
import { tenants } from "./tenants";

/** Every policy evaluation, allow or deny, with what decided it. */
export const decisions = pgTable(
  "decisions",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id),
    principal: text("principal").notNull(),
    action: text("action").notNull(),
    resource: text("resource").notNull(),
    contextDigest: text("context_digest").notNull(),
    decision: text("decision", { enum: ["allow", "deny"] }).notNull(),
    determiningPolicies: jsonb("determining_policies").$type<string[]>().notNull().default([]),
    errors: jsonb("errors").$type<string[]>().notNull().default([]),
    bundleVersion: text("bundle_version").notNull(),
    remediation: text("remediation"),
    exceptionId: text("exception_id"),
    decidedAt: at("decided_at").notNull(),
  },
  (t) => [index("decisions_tenant_time_idx").on(t.tenantId, t.decidedAt)],
);

export type DecisionRecord = typeof decisions.$inferSelect;
