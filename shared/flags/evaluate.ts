/**
 * Evaluating one flag for one context: a pure function of the configuration, so the native
 * endpoint, OFREP and the ramp guardrails all agree. Order: kill switch → operator override →
 * tenant override → ramp → default variant.
 */
import type { FlagConfig, FlagValue } from "../db/schema";
import { inRollout, pickVariant, rolloutBucket } from "./bucketing";

/** OFREP / OpenFeature resolution reasons this service gives. */
export type EvaluationReason = "STATIC" | "TARGETING_MATCH" | "SPLIT" | "DISABLED";
export type EvaluationErrorCode = "FLAG_NOT_FOUND" | "TARGETING_KEY_MISSING" | "INVALID_CONTEXT" | "GENERAL";

export interface EvaluationContext {
  /** The tenant the caller acts in: the default stickiness. */
  tenantId: string;
  /** The operator (person) evaluated for, when known: operator overrides and operator-sticky ramps. */
  operatorId?: string;
}

export type FlagMetadata = Record<string, string | number | boolean>;

export type Evaluation =
  | {
      key: string;
      value: FlagValue;
      variant: string;
      reason: EvaluationReason;
      metadata: FlagMetadata;
    }
  | { key: string; errorCode: EvaluationErrorCode; errorDetails: string; metadata?: FlagMetadata };

export interface EvaluableFlag {
  key: string;
  version: number;
  digest: string;
  config: FlagConfig;
}

export const isEvaluationError = (e: Evaluation): e is Extract<Evaluation, { errorCode: string }> =>
  "errorCode" in e;

export function evaluateFlag(
  key: string,
  flag: EvaluableFlag | undefined,
  context: EvaluationContext,
): Evaluation {
  if (!flag) return { key, errorCode: "FLAG_NOT_FOUND", errorDetails: `Flag '${key}' was not found` };
  const { config } = flag;
  const base: FlagMetadata = { flagVersion: flag.version, flagDigest: flag.digest };
  const serve = (variant: string, reason: EvaluationReason, metadata: FlagMetadata = {}): Evaluation => {
    const value = config.variants[variant];
    if (value === undefined) {
      return { key, errorCode: "GENERAL", errorDetails: `Flag '${key}' has no variant '${variant}'` };
    }
    return { key, value, variant, reason, metadata: { ...base, ...metadata } };
  };
  if (config.killSwitch) return serve(config.defaultVariant, "DISABLED", { killSwitch: true });
  const byOperator = context.operatorId ? config.operatorOverrides[context.operatorId] : undefined;
  if (byOperator !== undefined) return serve(byOperator, "TARGETING_MATCH", { override: "operator" });
  const byTenant = config.tenantOverrides[context.tenantId];
  if (byTenant !== undefined) return serve(byTenant, "TARGETING_MATCH", { override: "tenant" });
  const { rollout } = config;
  if (!rollout) return serve(config.defaultVariant, "STATIC");
  const sticky = rollout.stickiness === "operator" ? context.operatorId : context.tenantId;
  if (!sticky) {
    return {
      key,
      errorCode: "TARGETING_KEY_MISSING",
      errorDetails: `Flag '${key}' ramps by operator: send the operator id as targetingKey (or operatorId)`,
      metadata: base,
    };
  }
  const ramp = { rolloutPercentage: rollout.percentage, bucket: rolloutBucket(sticky, key) };
  if (!inRollout(sticky, key, rollout.percentage)) {
    return serve(config.defaultVariant, "SPLIT", { ...ramp, inRollout: false });
  }
  const picked = pickVariant(sticky, key, rollout.variants);
  return serve(picked?.name ?? config.defaultVariant, "SPLIT", { ...ramp, inRollout: true });
}
