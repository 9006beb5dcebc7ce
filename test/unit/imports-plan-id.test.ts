import { describe, expect, it } from "vitest";
import { type PlanIdentity, planIdOf, planIdPattern } from "../../shared/imports/framework/plan/plan-id";
import { contentHash } from "../../shared/imports/state/sql";

const identity = (roles: string[]): PlanIdentity => ({
  tenant: "ten_a",
  sourceDigest: "a".repeat(64),
  kind: "identities",
  format: "csv",
  mapping: {},
  options: {},
  onConflict: "skip",
  importerVersion: "1",
  bundleVersion: "b".repeat(64),
  watermark: 3,
  roles,
});

describe("plan ids", () => {
  it("are one plan for the same roles in any order, and two for planners who differ in a lesser role", () => {
    const both = planIdOf(identity(["approver", "operator"]));
    expect(both).toMatch(planIdPattern);
    expect(planIdOf(identity(["operator", "approver", "operator"]))).toBe(both);
    expect(planIdOf(identity(["approver"]))).not.toBe(both);
  });

  it("keep the id a single-role planner's plan always had", () => {
    const { roles: _, ...rest } = identity(["admin"]);
    const before = `plan_${contentHash({ ...rest, role: "admin", v: 1 }).slice(0, 48)}`;
    expect(planIdOf(identity(["admin"]))).toBe(before);
  });
});
