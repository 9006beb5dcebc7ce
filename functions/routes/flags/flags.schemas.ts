import { z } from "@hono/zod-openapi";
import { flagStickiness, flagTypes } from "../../../shared/db/schema";
import { flagKeyPattern } from "../../../shared/flags/flag-config";

const variantName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);

export const FlagValueSchema = z
  .union([z.boolean(), z.string().max(10_000), z.number(), z.record(z.string(), z.unknown())])
  .openapi("FlagValue", { description: "A value of the flag's `type`." });

export const FlagConfigSchema = z
  .object({
    description: z.string().max(2000).default("").openapi({ example: "New checkout flow for pilot tenants" }),
    type: z.enum(flagTypes).openapi({ example: "boolean" }),
    variants: z
      .record(variantName, FlagValueSchema)
      .openapi({ description: "Variant name → value.", example: { on: true, off: false } }),
    defaultVariant: variantName.openapi({
      description: "Served when nothing else applies, and to everyone while the kill switch is on.",
      example: "off",
    }),
    killSwitch: z.boolean().default(false).openapi({
      description: "On: everyone gets `defaultVariant` (reason `DISABLED`), overrides and ramp ignored.",
    }),
    rollout: z
      .object({
        percentage: z.number().int().min(0).max(100).openapi({ example: 25 }),
        stickiness: z.enum(flagStickiness).default("tenant").openapi({
          description: "What the bucket is computed from: the tenant id (default) or the operator id.",
        }),
        variants: z
          .array(z.object({ name: variantName, weight: z.number().int().min(0).max(10_000) }))
          .min(1)
          .max(50)
          .openapi({
            description: "What those inside the ramp get, distributed by weight as Unleash does.",
            example: [{ name: "on", weight: 1 }],
          }),
      })
      .nullable()
      .default(null)
      .openapi({
        description:
          "A percentage ramp, bucketed as Unleash's gradual rollout: murmur3(`key:stickinessValue`) % 100 + 1 ≤ percentage.",
      }),
    tenantOverrides: z
      .record(z.string().max(64), variantName)
      .default({})
      .openapi({ description: "Tenant id → variant.", example: { ten_8k2m4q0v7c1x3n5b9d6f: "on" } }),
    operatorOverrides: z
      .record(z.string().max(64), variantName)
      .default({})
      .openapi({ description: "Operator id → variant; wins over the tenant's." }),
  })
  .strict();

export const PutFlagBody = FlagConfigSchema.extend({
  expectedVersion: z.number().int().min(0).optional().openapi({
    description: "Apply only if the flag is at this version (0: only if it does not exist yet); else 409.",
  }),
})
  .strict()
  .openapi("PutFlag");

export const FlagKeyParams = z.object({
  key: z
    .string()
    .regex(flagKeyPattern)
    .openapi({ param: { name: "key", in: "path" }, example: "checkout-v2" }),
});

export const FlagSchema = z
  .object({
    key: z.string(),
    version: z.number().int(),
    digest: z.string().openapi({ description: "SHA-256 of the RFC 8785 form of `{ key, config }`." }),
    config: FlagConfigSchema.openapi("FlagConfig"),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
    updatedBy: z.string(),
  })
  .openapi("Flag");

export const FlagChangeSchema = FlagSchema.extend({
  changed: z.boolean().openapi({ description: "False when the configuration was already this one." }),
  receiptId: z.string().nullable().openapi({ description: "The receipt in the `switchboard` tenant's log." }),
  tenantReceiptIds: z
    .array(z.string())
    .openapi({ description: "A `flag.override.changed` receipt in each tenant whose override changed." }),
}).openapi("FlagChange");

export const FlagListSchema = z
  .object({
    items: z.array(FlagSchema),
    digest: z
      .string()
      .openapi({ description: "Digest of the set: SHA-256 of the canonical `{ key: digest }`." }),
  })
  .openapi("FlagList");

export const FlagVersionSchema = z
  .object({
    key: z.string(),
    version: z.number().int(),
    change: z.string().openapi({ example: "updated" }),
    before: FlagConfigSchema.nullable(),
    after: FlagConfigSchema,
    digest: z.string(),
    actor: z.string(),
    receiptId: z.string(),
    restoredVersion: z.number().int().nullable(),
    changedAt: z.string().datetime(),
  })
  .openapi("FlagVersion");

export const FlagVersionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .openapi({ description: "`nextBefore` of the previous page." }),
});

export const RollbackBody = z
  .object({ version: z.number().int().min(1).openapi({ example: 3 }) })
  .strict()
  .openapi("RollbackFlag");

export const EvaluationContextSchema = z
  .object({
    targetingKey: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: "The operator (person), when there is one." }),
    operatorId: z.string().max(200).optional(),
    tenantId: z
      .string()
      .max(64)
      .optional()
      .openapi({ description: "Honoured for Switchboard staff only; otherwise the credential's tenant." }),
  })
  .catchall(z.unknown())
  .openapi("FlagEvaluationContext");

export const EvaluateBody = z
  .object({
    keys: z.array(z.string().max(100)).max(500).optional().openapi({ description: "Omit for every flag." }),
    context: EvaluationContextSchema.default({}),
  })
  .strict()
  .openapi("EvaluateFlags");

export const EvaluationSchema = z
  .object({
    key: z.string(),
    value: FlagValueSchema.optional(),
    variant: z.string().optional(),
    reason: z.enum(["STATIC", "TARGETING_MATCH", "SPLIT", "DISABLED"]).optional(),
    errorCode: z.enum(["FLAG_NOT_FOUND", "TARGETING_KEY_MISSING", "INVALID_CONTEXT", "GENERAL"]).optional(),
    errorDetails: z.string().optional(),
    metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .openapi("FlagEvaluation");

export const EvaluationsSchema = z
  .object({
    flags: z.array(EvaluationSchema),
    setDigest: z.string(),
    context: z.object({ tenantId: z.string(), operatorId: z.string().optional() }),
  })
  .openapi("FlagEvaluations");

export const CreateRampPlanBody = z
  .object({
    steps: z
      .array(z.number().int().min(1).max(100))
      .min(1)
      .max(20)
      .openapi({ example: [5, 25, 50, 100] }),
    minDwellMinutes: z.number().int().min(1).max(43_200).openapi({ example: 60 }),
    guardrails: z
      .object({
        max5xxRateDelta: z.number().min(0).max(1).optional(),
        maxDenyRateDelta: z.number().min(0).max(1).optional(),
      })
      .strict()
      .optional()
      .openapi({ description: "Defaults: 5xx rate +0.02, deny rate +0.05 inside over outside." }),
  })
  .strict()
  .openapi("CreateRampPlan");

export const RampPlanSchema = z
  .object({
    id: z.string(),
    flagKey: z.string(),
    steps: z.array(z.number().int()),
    stepIndex: z.number().int(),
    minDwellMinutes: z.number().int(),
    guardrails: z.object({ max5xxRateDelta: z.number(), maxDenyRateDelta: z.number() }),
    status: z.enum(["active", "paused", "completed"]),
    stepStartedAt: z.string().datetime(),
    pauseReason: z.record(z.string(), z.unknown()).nullable(),
    createdBy: z.string(),
    createdAt: z.string().datetime(),
  })
  .openapi("RampPlan");
