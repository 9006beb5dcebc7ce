/** Ramps bucket tenants as Unleash does: the share is right, and raising a ramp keeps who was in. */
import { describe, expect, it } from "vitest";
import type { FlagConfig } from "../../shared/db/schema";
import { flagDigest, flagSetDigest } from "../../shared/flags/digest";
import { type EvaluableFlag, evaluateFlag } from "../../shared/flags/evaluate";
import { canonicalJson } from "../../shared/receipts/canonical-json";

const config = (percentage: number): FlagConfig => ({
  description: "",
  type: "boolean",
  variants: { on: true, off: false },
  defaultVariant: "off",
  killSwitch: false,
  rollout: { percentage, stickiness: "tenant", variants: [{ name: "on", weight: 1 }] },
  tenantOverrides: {},
  operatorOverrides: {},
});
const flag = (c: FlagConfig): EvaluableFlag => ({ key: "checkout-v2", version: 1, digest: "d", config: c });
const tenants = Array.from({ length: 10_000 }, (_, i) => `ten_${i.toString(36).padStart(20, "0")}`);
const inside = (f: EvaluableFlag) =>
  new Set(
    tenants.filter((t) => {
      const e = evaluateFlag(f.key, f, { tenantId: t });
      return "value" in e && e.value === true;
    }),
  );

describe("percentage ramp over 10,000 tenants", () => {
  it("25% puts 25% ± 1.5% in; 50% keeps every one of them", () => {
    const quarter = inside(flag(config(25)));
    expect(quarter.size / tenants.length).toBeGreaterThanOrEqual(0.235);
    expect(quarter.size / tenants.length).toBeLessThanOrEqual(0.265);
    const half = inside(flag(config(50)));
    expect(half.size / tenants.length).toBeGreaterThanOrEqual(0.485);
    expect(half.size / tenants.length).toBeLessThanOrEqual(0.515);
    for (const t of quarter) expect(half.has(t)).toBe(true);
    expect(inside(flag(config(0))).size).toBe(0);
    expect(inside(flag(config(100))).size).toBe(tenants.length);
  });

  it("splits those inside between variants by weight", () => {
    const c: FlagConfig = {
      ...config(100),
      type: "string",
      variants: { a: "A", b: "B", off: "-" },
      rollout: {
        percentage: 100,
        stickiness: "tenant",
        variants: [
          { name: "a", weight: 1 },
          { name: "b", weight: 3 },
        ],
      },
    };
    const counts = { a: 0, b: 0 };
    for (const t of tenants) {
      const e = evaluateFlag("split", { ...flag(c), key: "split" }, { tenantId: t });
      if ("variant" in e) counts[e.variant as "a" | "b"]++;
    }
    expect(counts.a / tenants.length).toBeCloseTo(0.25, 1);
    expect(counts.b / tenants.length).toBeCloseTo(0.75, 1);
  });

  it("operator overrides win over tenant overrides, which win over the ramp", () => {
    const c = { ...config(0), tenantOverrides: { ten_a: "on" }, operatorOverrides: { op_x: "off" } };
    expect(evaluateFlag("k", flag(c), { tenantId: "ten_a" })).toMatchObject({
      value: true,
      reason: "TARGETING_MATCH",
    });
    expect(evaluateFlag("k", flag(c), { tenantId: "ten_a", operatorId: "op_x" })).toMatchObject({
      value: false,
      reason: "TARGETING_MATCH",
    });
    expect(evaluateFlag("k", flag(c), { tenantId: "ten_b" })).toMatchObject({
      value: false,
      reason: "SPLIT",
    });
  });
});

describe("configuration digests", () => {
  it("are SHA-256 over RFC 8785 JSON, independent of key order", () => {
    const a = config(25);
    const reordered = JSON.parse(canonicalJson(a)) as FlagConfig;
    expect(flagDigest("k", reordered)).toBe(flagDigest("k", a));
    expect(flagDigest("k", config(26))).not.toBe(flagDigest("k", a));
    expect(
      flagSetDigest([
        { key: "a", digest: "1" },
        { key: "b", digest: "2" },
      ]),
    ).toBe(
      flagSetDigest([
        { key: "b", digest: "2" },
        { key: "a", digest: "1" },
      ]),
    );
  });
});
