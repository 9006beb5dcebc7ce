import { index, pgTable, text } from "drizzle-orm/pg-core";
import { at, createdAt, id, tenantId } from "../columns";
import { tenants } from "./tenants";

/** Governed exceptions: an admin allows one action for a principal, with a rationale, until it expires. */
export const policyExceptions = pgTable(
  "policy_exceptions",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id),
    /** Cedar entity uid of the principal, e.g. `Switchboard::Operator::"op_…"`. */
    principal: text("principal").notNull(),
    action: text("action").notNull(),
    /** Cedar entity uid of the resource; null means any resource of the action. */
    resource: text("resource"),
    rationale: text("rationale").notNull(),
    createdBy: text("created_by").notNull(),
    receiptId: text("receipt_id"),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
    revokedAt: at("revoked_at"),
  },
  (t) => [
    index("policy_exceptions_tenant_idx").on(t.tenantId, t.action),
    /** The list: newest first by (created_at, id), keyset pages. */
    index("policy_exceptions_tenant_list_idx").on(t.tenantId, t.createdAt, t.id),
  ],
);

export type PolicyException = typeof policyExceptions.$inferSelect;
