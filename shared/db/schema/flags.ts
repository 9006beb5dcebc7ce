import { integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "../columns";

/** A flag's value types: what an OpenFeature client asks for. */
export const flagTypes = ["boolean", "string", "number", "object"] as const;
export type FlagType = (typeof flagTypes)[number];

/** Who a ramp sticks to: the tenant (default) or the operator (a person). */
export const flagStickiness = ["tenant", "operator"] as const;
export type FlagStickiness = (typeof flagStickiness)[number];

export type FlagValue = boolean | string | number | Record<string, unknown>;

/**
 * A flag's whole configuration: what is versioned, digested and rolled back. Evaluation order:
 * kill switch → operator override → tenant override → ramp → default variant.
 */
export interface FlagConfig {
  description: string;
  type: FlagType;
  /** Variant name → value, every value of `type`. */
  variants: Record<string, FlagValue>;
  /** Served when nothing else applies, and to everyone while the kill switch is on. */
  defaultVariant: string;
  killSwitch: boolean;
  /** A percentage ramp; those inside get `variants` as Unleash distributes them by weight. */
  rollout: {
    percentage: number;
    stickiness: FlagStickiness;
    variants: { name: string; weight: number }[];
  } | null;
  /** Tenant id → variant. */
  tenantOverrides: Record<string, string>;
  /** Operator id → variant. */
  operatorOverrides: Record<string, string>;
}

/**
 * Feature flags belong to the deployment (the platform), not to a tenant: there is no
 * `tenant_id`. Targeting inside the configuration is per tenant and per operator.
 */
export const flags = pgTable("flags", {
  key: text("key").primaryKey(),
  version: integer("version").notNull(),
  config: jsonb("config").$type<FlagConfig>().notNull(),
  /** SHA-256 of the RFC 8785 form of `{ key, config }`: equal configurations, equal digests. */
  digest: text("digest").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  updatedBy: text("updated_by").notNull(),
});

export type Flag = typeof flags.$inferSelect;
