import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { at, createdAt, id, tenantId } from "../columns";
import { tenants } from "./tenants";

export const roles = [
  "admin",
  "operator",
  "approver",
  "auditor",
  "viewer",
  "pilot-ops",
  "flag-admin",
] as const;
export type Role = (typeof roles)[number];

/** API keys are shown once; only the SHA-256 of the secret is stored. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    role: text("role", { enum: roles }).notNull(),
    createdAt: createdAt(),
    lastUsedAt: at("last_used_at"),
    revokedAt: at("revoked_at"),
  },
  (t) => [
    uniqueIndex("api_keys_secret_hash_key").on(t.secretHash),
    /** The list: newest first by (created_at, id), keyset pages. */
    index("api_keys_tenant_list_idx").on(t.tenantId, t.createdAt, t.id),
  ],
);

export type ApiKey = typeof apiKeys.$inferSelect;
