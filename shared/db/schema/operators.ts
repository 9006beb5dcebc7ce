import { index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, updatedAt } from "../columns";
import { roles } from "./api-keys";
import { tenants } from "./tenants";

/** People who act in a tenant. OIDC tokens map to an operator by subject or by email. */
export const operators = pgTable(
  "operators",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id),
    email: text("email").notNull(),
    subject: text("subject"),
    displayName: text("display_name").notNull(),
    role: text("role", { enum: roles }).notNull(),
    /** Every role the person holds (identity imports carry several); `role` is the most privileged. */
    roles: jsonb("roles").$type<string[]>().notNull().default([]),
    status: text("status", { enum: ["active", "suspended"] })
      .notNull()
      .default("active"),
    /** Bumped by every update (trigger); with last_import_id it tells an import whether the row moved. */
    version: integer("version").notNull().default(1),
    /** The identities import that last wrote the row; null after any other write (API, console). */
    lastImportId: text("last_import_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("operators_tenant_email_key").on(t.tenantId, t.email),
    uniqueIndex("operators_tenant_subject_key").on(t.tenantId, t.subject),
    /** Lists: newest first by (created_at, id), each filter with its own index in that order (keyset pages). */
    index("operators_tenant_list_idx").on(t.tenantId, t.createdAt, t.id),
    index("operators_tenant_status_list_idx").on(t.tenantId, t.status, t.createdAt, t.id),
  ],
);

export type Operator = typeof operators.$inferSelect;
