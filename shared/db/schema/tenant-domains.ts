import { sql } from "drizzle-orm";
import { index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { at, createdAt, tenantId } from "../columns";
import { tenants } from "./tenants";

/**
 * White-label domains: a request's Host names its tenant, with the partner's branding, once the
 * tenant has proven it controls the host (a DNS TXT record holding `verification_token`).
 * Several tenants may claim a host while pending; only one may hold it verified, so a squatter's
 * pending claim never blocks the real owner.
 */
export const tenantDomains = pgTable(
  "tenant_domains",
  {
    tenantId: tenantId().references(() => tenants.id),
    host: text("host").notNull(),
    displayName: text("display_name").notNull(),
    logoUrl: text("logo_url"),
    primaryColor: text("primary_color"),
    accentColor: text("accent_color"),
    /** `pending` until the TXT record proves control; only `verified` routes requests and branding. */
    status: text("status", { enum: ["pending", "verified"] })
      .notNull()
      .default("pending"),
    /** What `_switchboard-challenge.<host>` must hold. Rows from before verification get one here. */
    verificationToken: text("verification_token")
      .notNull()
      .default(sql`('sbv_' || replace(gen_random_uuid()::text, '-', ''))`),
    verifiedAt: at("verified_at"),
    /** The last DNS check (on request or by the cron) and, when it did not prove the host, why. */
    checkedAt: at("checked_at"),
    checkProblem: text("check_problem"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.host] }),
    uniqueIndex("tenant_domains_verified_host_key").on(t.host).where(sql`${t.status} = 'verified'`),
    index("tenant_domains_host_idx").on(t.host),
    index("tenant_domains_checked_idx").on(t.checkedAt),
    /** The list: newest first by (created_at, host), keyset pages. */
    index("tenant_domains_tenant_list_idx").on(t.tenantId, t.createdAt, t.host),
  ],
);

export type TenantDomain = typeof tenantDomains.$inferSelect;
