import { index, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, tenantId } from "../columns";
import { tenants } from "./tenants";

/** White-label domains: a request's Host names its tenant, with the partner's branding. */
export const tenantDomains = pgTable(
  "tenant_domains",
  {
    host: text("host").primaryKey(),
    tenantId: tenantId().references(() => tenants.id),
    displayName: text("display_name").notNull(),
    logoUrl: text("logo_url"),
    primaryColor: text("primary_color"),
    accentColor: text("accent_color"),
    createdAt: createdAt(),
  },
  (t) => [index("tenant_domains_tenant_idx").on(t.tenantId)],
);

export type TenantDomain = typeof tenantDomains.$inferSelect;
