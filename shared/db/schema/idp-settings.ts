import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { tenantId, updatedAt } from "../columns";
import { tenants } from "./tenants";

/**
 * One OIDC identity provider per tenant: bearer JWTs are verified against its JWKS. An
 * (issuer, audience) pair belongs to one tenant: a token found by its `iss` and `aud` names it,
 * so a second tenant claiming the pair would make the first one's sign-ins ambiguous.
 */
export const idpSettings = pgTable(
  "idp_settings",
  {
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
  },
  (t) => [uniqueIndex("idp_settings_issuer_audience_key").on(t.issuer, t.audience)],
);

export type IdpSettings = typeof idpSettings.$inferSelect;
