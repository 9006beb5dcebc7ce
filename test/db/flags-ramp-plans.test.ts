/** Ramp plans under a fixed clock: dwell, advance, and a guardrail breach that pauses the plan on the record. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestRollups } from "../../shared/db/schema";
import { inRollout } from "../../shared/flags/bucketing";
import { advanceRampPlans } from "../../shared/flags/ramp-plans";
import { newId } from "../../shared/ids/ids";
import { fixedClock } from "../../shared/platform/clock";
import { issueFlagAdminKey, issuePilotOpsKey } from "../../shared/tenants/tenant-admin";
import { insertTenant } from "../../shared/tenants/tenant-repo";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
let flagAdmin: string;
let pilotOps: string;
const tenantIds: string[] = [];
const json = (body: unknown) => ({
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const bool = {
  type: "boolean",
  variants: { on: true, off: false },
  defaultVariant: "off",
  rollout: { percentage: 0, variants: [{ name: "on", weight: 1 }] },
};
const minutes = (n: number) => n * 60_000;
const plan = async (key: string) =>
  (await (await h.request(`/v1/flags/${key}/ramp-plan`, { key: pilotOps })).json()) as {
    status: string;
    stepIndex: number;
    stepStartedAt: string;
    pauseReason: Record<string, unknown> | null;
  };
const percentage = async (key: string) =>
  (
    (await (await h.request(`/v1/flags/${key}`, { key: flagAdmin })).json()) as {
      config: { rollout: { percentage: number } };
    }
  ).config.rollout.percentage;
const cronAt = (start: string, offsetMs: number) =>
  advanceRampPlans({ ...h.ctx(), clock: fixedClock(new Date(new Date(start).getTime() + offsetMs)) });

beforeAll(async () => {
  h = await createHarness();
  flagAdmin = (await issueFlagAdminKey({ ctx: h.ctx(), input: { name: "flags" } })).secret;
  pilotOps = (await issuePilotOpsKey({ ctx: h.ctx(), input: { name: "on-call" } })).secret;
  tenantIds.push(h.tenantA.id, h.tenantB.id);
  for (let i = 0; i < 14; i++) {
    const t = await insertTenant(h.ctx().db, {
      id: newId("ten"),
      slug: `ramp-${i}`,
      name: `Ramp ${i}`,
      createdAt: new Date(),
    });
    tenantIds.push(t.id);
  }
}, 120_000);
afterAll(() => h.close());

describe("ramp plans", () => {
  it("start at the first step, hold for the dwell, then advance while the guardrails hold", async () => {
    await h.request("/v1/flags/healthy", { method: "PUT", key: flagAdmin, ...json(bool) });
    const res = await h.request("/v1/flags/healthy/ramp-plan", {
      method: "POST",
      key: flagAdmin,
      ...json({ steps: [5, 25, 50], minDwellMinutes: 60 }),
    });
    expect(res.status).toBe(201);
    expect(await percentage("healthy")).toBe(5);
    const start = (await plan("healthy")).stepStartedAt;
    await cronAt(start, minutes(59));
    expect(await percentage("healthy")).toBe(5);
    await cronAt(start, minutes(60));
    expect(await percentage("healthy")).toBe(25);
    expect(await plan("healthy")).toMatchObject({ status: "active", stepIndex: 1 });
    const next = (await plan("healthy")).stepStartedAt;
    await cronAt(next, minutes(60));
    expect(await percentage("healthy")).toBe(50);
    expect((await plan("healthy")).status).toBe("completed");
    const advanced = (await (
      await h.request("/v1/timeline?kind=flag.ramp.advanced", { key: pilotOps })
    ).json()) as {
      items: { details: { percentage: number } }[];
    };
    expect(advanced.items.map((r) => r.details.percentage).sort((a, b) => a - b)).toEqual([5, 25, 50]);
  });

  it("a 5xx breach inside the ramp pauses the plan, with a receipt naming the guardrail and by how much", async () => {
    await h.request("/v1/flags/guarded", { method: "PUT", key: flagAdmin, ...json(bool) });
    await h.request("/v1/flags/guarded/ramp-plan", {
      method: "POST",
      key: flagAdmin,
      ...json({ steps: [50, 100], minDwellMinutes: 60 }),
    });
    const start = (await plan("guarded")).stepStartedAt;
    const inside = tenantIds.filter((id) => inRollout(id, "guarded", 50));
    expect(inside.length).toBeGreaterThan(0);
    expect(inside.length).toBeLessThan(tenantIds.length);
    const minute = new Date(new Date(start).getTime() + minutes(10));
    await h
      .ctx()
      .db.insert(requestRollups)
      .values(
        tenantIds.map((tenantId) => ({
          tenantId,
          minute,
          route: "/v1/checkout",
          method: "POST",
          count: 100,
          status2xx: inside.includes(tenantId) ? 90 : 100,
          status5xx: inside.includes(tenantId) ? 10 : 0,
          latencySumMs: 1000,
          latencyMaxMs: 50,
          histogram: {},
        })),
      );
    const result = await cronAt(start, minutes(61));
    expect(result.paused).toHaveLength(1);
    expect(await percentage("guarded")).toBe(50);
    const paused = await plan("guarded");
    expect(paused).toMatchObject({
      status: "paused",
      pauseReason: { guardrail: "5xx_rate", inside: 0.1, outside: 0, delta: 0.1 },
    });
    const receipts = (await (
      await h.request("/v1/timeline?kind=flag.ramp.paused", { key: pilotOps })
    ).json()) as {
      items: { id: string; details: Record<string, unknown> }[];
    };
    expect(receipts.items[0]?.details).toMatchObject({
      key: "guarded",
      guardrail: "5xx_rate",
      delta: 0.1,
      limit: 0.02,
      by: 0.08,
    });
    expect(paused.pauseReason?.receiptId).toBe(receipts.items[0]?.id);
    // A paused plan stays put.
    await cronAt(start, minutes(600));
    expect(await percentage("guarded")).toBe(50);
  });

  it("only flag-admin starts a plan; a second active plan for a flag is a conflict", async () => {
    const body = json({ steps: [10, 20], minDwellMinutes: 5 });
    expect(
      (await h.request("/v1/flags/healthy/ramp-plan", { method: "POST", key: pilotOps, ...body })).status,
    ).toBe(403);
    await h.request("/v1/flags/other", { method: "PUT", key: flagAdmin, ...json(bool) });
    expect(
      (await h.request("/v1/flags/other/ramp-plan", { method: "POST", key: flagAdmin, ...body })).status,
    ).toBe(201);
    expect(
      (await h.request("/v1/flags/other/ramp-plan", { method: "POST", key: flagAdmin, ...body })).status,
    ).toBe(409);
  });
});
