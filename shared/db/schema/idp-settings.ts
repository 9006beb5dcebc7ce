import { pgTable, text } from "drizzle-orm/pg-core";
import { tenantId, updatedAt } from "../columns";
import { tenants } from "./tenants";

/** One OIDC identity provider per tenant: bearer JWTs are verified against its JWKS. */
export const idpSettings = pgTable("idp_settings", {
  tenantId: tenantId()
    .primaryKey()
    .references(() => tenants.id),
  issuer: text("issuer").notNull(),
  audience: text("audience").notNull(),
  jwksUrl: text("jwks_url").notNull(),
  /** Which claim finds the operator: the token's `sub` or its `email`. */
  matchBy: text("match_by", { enum: ["subject", "email"] })
    .notNull()
    .default("email"),
  updatedAt: updatedAt(),
});

export type IdpSettings = typeof idpSettings.$inferSelect;
