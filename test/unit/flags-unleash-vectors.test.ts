/**
 * Unleash's own client-specification cases (rollout, stickiness, variants), evaluated with
 * Switchboard's bucketing. The small evaluator below is Unleash's strategy logic for the
 * strategies these cases use; every hash and variant pick is `shared/flags/bucketing.ts`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inRollout, normalizedValue, pickVariant } from "../../shared/flags/bucketing";
import { murmur3x86Hash32 } from "../../shared/flags/murmur3";

const dir = "/work/shared/vectors/unleash";

type Context = Record<string, unknown> & { properties?: Record<string, string> };
interface Variant {
  name: string;
  weight: number;
  stickiness?: string;
  payload?: { type: string; value: string };
  overrides?: { contextName: string; values: string[] }[];
}
interface Strategy {
  name: string;
  parameters?: Record<string, string>;
  constraints?: { contextName: string; operator: string; values: string[] }[];
  variants?: Variant[];
}
interface Feature {
  name: string;
  enabled: boolean;
  strategies: Strategy[];
  variants?: Variant[];
}
interface Spec {
  name: string;
  state: { features: Feature[] };
  tests?: { description: string; context: Context; toggleName: string; expectedResult: boolean }[];
  variantTests?: { description: string; context: Context; toggleName: string; expectedResult: unknown }[];
}

const contextValue = (context: Context, field: string): string | undefined => {
  const direct = context[field];
  if (typeof direct === "string" && direct !== "") return direct;
  const prop = context.properties?.[field];
  return prop === undefined || prop === "" ? undefined : prop;
};
// Unleash falls back to a random value when nothing is sticky: in or out by chance.
const random = () => String(Math.round(Math.random() * 100) + 1);

function stickinessValue(context: Context, stickiness: string | undefined, fallbacks: string[]) {
  if (stickiness !== undefined && stickiness !== "default") return contextValue(context, stickiness);
  for (const field of fallbacks) {
    const value = contextValue(context, field);
    if (value !== undefined) return value;
  }
  return random();
}

function constraintsHold(strategy: Strategy, context: Context): boolean {
  return (strategy.constraints ?? []).every((c) => {
    const value = contextValue(context, c.contextName);
    const found = value !== undefined && c.values.includes(value);
    return c.operator === "NOT_IN" ? !found : found;
  });
}

function strategyEnabled(feature: Feature, strategy: Strategy, context: Context): boolean {
  const p = strategy.parameters ?? {};
  switch (strategy.name) {
    case "default":
      return true;
    case "gradualRolloutUserId": {
      const userId = contextValue(context, "userId");
      return userId !== undefined && inRollout(userId, p.groupId ?? "", Number(p.percentage));
    }
    case "flexibleRollout": {
      const id = stickinessValue(context, p.stickiness, ["userId", "sessionId"]);
      return id !== undefined && inRollout(id, p.groupId ?? feature.name, Number(p.rollout));
    }
    default:
      return false;
  }
}

function selectVariant(
  groupId: string,
  stickiness: string | undefined,
  variants: Variant[],
  context: Context,
) {
  if (variants.reduce((sum, v) => sum + v.weight, 0) <= 0) return undefined;
  const overridden = variants.find((v) =>
    (v.overrides ?? []).some((o) => o.values.some((value) => value === contextValue(context, o.contextName))),
  );
  if (overridden) return overridden;
  const id = stickinessValue(context, stickiness, ["userId", "sessionId", "remoteAddress"]) ?? random();
  return pickVariant(id, groupId, variants);
}

function evaluate(features: Feature[], name: string, context: Context) {
  const feature = features.find((f) => f.name === name);
  if (!feature?.enabled) return { enabled: false as const };
  if (feature.strategies.length === 0) return { enabled: true as const, feature };
  for (const strategy of feature.strategies) {
    if (!constraintsHold(strategy, context) || !strategyEnabled(feature, strategy, context)) continue;
    const strategyVariant = strategy.variants?.length
      ? selectVariant(
          strategy.parameters?.groupId ?? feature.name,
          strategy.parameters?.stickiness,
          strategy.variants,
          context,
        )
      : undefined;
    return { enabled: true as const, feature, strategyVariant };
  }
  return { enabled: false as const };
}

function variantOf(features: Feature[], name: string, context: Context) {
  const result = evaluate(features, name, context);
  if (!result.enabled) return { name: "disabled", enabled: false, feature_enabled: false };
  const shape = (v: Variant) => ({ name: v.name, payload: v.payload, enabled: true, feature_enabled: true });
  if (result.strategyVariant) return shape(result.strategyVariant);
  const variants = result.feature.variants ?? [];
  const picked = selectVariant(result.feature.name, variants[0]?.stickiness, variants, context);
  return picked ? shape(picked) : { name: "disabled", enabled: false, feature_enabled: true };
}

const specs = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((file) => ({ file, spec: JSON.parse(readFileSync(join(dir, file), "utf8")) as Spec }));

describe("MurmurHash3 x86 32-bit", () => {
  it("matches the reference values", () => {
    expect(murmur3x86Hash32("")).toBe(0);
    expect(murmur3x86Hash32("", 1)).toBe(0x514e28b7);
    expect(murmur3x86Hash32("test")).toBe(0xba6bd213);
    expect(murmur3x86Hash32("Hello, world!", 1234)).toBe(0xfaf6cdb3);
    expect(murmur3x86Hash32("The quick brown fox jumps over the lazy dog")).toBe(0x2e4ff723);
  });

  it("normalises to 1..100", () => {
    for (let i = 0; i < 1000; i++) {
      const v = normalizedValue(`ten_${i}`, "flag", 100);
      expect(v).toBeGreaterThanOrEqual(1);
      expect(v).toBeLessThanOrEqual(100);
    }
  });
});

for (const { file, spec } of specs) {
  describe(`Unleash ${file}`, () => {
    for (const t of spec.tests ?? []) {
      it(t.description, () => {
        expect(evaluate(spec.state.features, t.toggleName, t.context).enabled).toBe(t.expectedResult);
      });
    }
    for (const t of spec.variantTests ?? []) {
      it(`variant: ${t.description}`, () => {
        expect(variantOf(spec.state.features, t.toggleName, t.context)).toEqual(t.expectedResult);
      });
    }
  });
}
