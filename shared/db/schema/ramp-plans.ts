import { integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { at, createdAt, id } from "../columns";

export interface RampGuardrails {
  /** Pause when the 5xx rate inside the ramp exceeds the rate outside by more than this (0..1). */
  max5xxRateDelta: number;
  /** Pause when the policy-deny rate inside exceeds the rate outside by more than this (0..1). */
  maxDenyRateDelta: number;
}

/**
 * A flag's ramp plan: percentage steps with a minimum dwell, advanced by the cron while the
 * guardrails hold. Platform-owned, like the flag.
 */
export const rampPlans = pgTable("ramp_plans", {
  id: id(),
  flagKey: text("flag_key").notNull(),
  steps: jsonb("steps").$type<number[]>().notNull(),
  stepIndex: integer("step_index").notNull(),
  minDwellMinutes: integer("min_dwell_minutes").notNull(),
  guardrails: jsonb("guardrails").$type<RampGuardrails>().notNull(),
  status: text("status", { enum: ["active", "paused", "completed"] }).notNull(),
  stepStartedAt: at("step_started_at").notNull(),
  /** Why it paused: the guardrail, the rates inside and outside, by how much. */
  pauseReason: jsonb("pause_reason").$type<Record<string, unknown>>(),
  createdBy: text("created_by").notNull(),
  createdAt: createdAt(),
});

export type RampPlan = typeof rampPlans.$inferSelect;
