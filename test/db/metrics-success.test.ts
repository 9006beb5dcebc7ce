/**
 * Success metrics against a generated history with known answers, on a fixed clock: every
 * figure equals the hand-computed value, and each figure's links list exactly what it counts.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../shared/context/context";
import { tenants } from "../../shared/db/schema";
import { fixedClock } from "../../shared/platform/clock";
import { appendReceipt } from "../../shared/receipts/append";
import { createApiKey } from "../../shared/tenants/api-keys";
import { createTenantWithAdminKey } from "../../shared/tenants/seed";
import { createHarness, type Harness } from "../support/harness";

const clock = fixedClock("2026-11-25T12:00:00Z"); // a Wednesday
let h: Harness;
let tenant: { id: string; slug: string; name: string };
let admin: string;
beforeAll(async () => {
  h = await createHarness({}, { clock });
  const created = await createTenantWithAdminKey({
    ctx: h.ctx(),
    input: { slug: "umbrella", name: "Umbrella" },
  });
  tenant = { id: created.tenantId, slug: "umbrella", name: "Umbrella" };
  admin = created.apiKey;
  await h
    .ctx()
    .db.update(tenants)
    .set({ createdAt: new Date("2026-11-01T00:00:00Z") })
    .where(eq(tenants.id, tenant.id));
  const key = (id: string): Actor => ({ type: "api_key", id, role: "operator" });
  const system: Actor = { type: "system", id: "approval-expiry", role: "viewer" };
  const history: [string, Actor, string, string, Record<string, unknown>?][] = [
    ["2026-11-05T09:00:00Z", key("k4"), "incident.opened", "incident:inc_0"],
    ["2026-11-10T10:00:00Z", key("k1"), "command.requested", "command:c1"],
    ["2026-11-10T11:00:00Z", key("k2"), "approval.approved", "approval:a1", { cycleMs: 60_000 }],
    ["2026-11-11T09:00:00Z", key("k1"), "incident.opened", "incident:inc_a"],
    ["2026-11-11T09:30:00Z", key("k1"), "runbook_run.launched", "runbook_run:r1", { incidentId: "inc_a" }],
    ["2026-11-12T09:00:00Z", system, "approval.expired", "approval:a0", { cycleMs: 999_000 }],
    ["2026-11-17T09:00:00Z", key("k3"), "incident.opened", "incident:inc_b"],
    ["2026-11-17T10:00:00Z", key("k1"), "incident.opened", "incident:inc_c"],
    ["2026-11-18T09:00:00Z", key("k2"), "approval.denied", "approval:a2", { cycleMs: 300_000 }],
    ["2026-11-18T10:00:00Z", key("k2"), "approval.approved", "approval:a3", { cycleMs: 120_000 }],
    ["2026-11-19T09:00:00Z", key("k3"), "runbook_run.launched", "runbook_run:r2", { incidentId: "inc_c" }],
    ["2026-11-19T10:00:00Z", key("k1"), "import.planned", "plan:p1", { counts: { reject: 0 } }],
    ["2026-11-19T11:00:00Z", key("k1"), "import.planned", "plan:p2", { counts: { reject: 2 } }],
    ["2026-11-24T08:00:00Z", key("k1"), "idp.configured", "idp:1"],
    ["2026-11-24T09:00:00Z", key("k2"), "approval.approved", "approval:a4", { cycleMs: 600_000 }],
    ["2026-11-24T10:00:00Z", key("k3"), "import.planned", "plan:p3", { counts: { reject: 0 } }],
  ];
  for (const [at, actor, kind, subject, details] of history) {
    await appendReceipt({
      ctx: { ...h.ctx(), clock: fixedClock(at), tenant, actor },
      input: { kind, subject, input: { subject }, details },
    });
  }
  for (const [kind, screen] of [
    ["friction", "a"],
    ["friction", "a"],
    ["friction", "b"],
    ["bug", "a"],
  ]) {
    const res = await h.request("/v1/feedback", {
      method: "POST",
      key: admin,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind, message: "m", screen, actionId: "x" }),
    });
    expect(res.status).toBe(201);
  }
}, 60_000);
afterAll(() => h.close());

type Figure = { value: number; links: string[] };
type Metrics = {
  from: string;
  to: string;
  activation: {
    done: number;
    total: number;
    steps: { step: string; state: string; secondsSinceTenantCreated: number | null }[];
  };
  timeToFirstCommand: { seconds: number | null };
  weekly: {
    week: string;
    activeOperators: Figure;
    approvals: Figure;
    incidents: Figure & { withRunbookRun: number; runbookRunShare: number | null };
    runbookRuns: Figure;
  }[];
  approvalCycle: { decided: number; medianSeconds: number | null; p90Seconds: number | null };
  imports: { dryRuns: number; passed: number; passRate: number | null };
  frictionPerScreen: { screen: string; count: number; links: string[] }[];
};

const read = async (key: string, path: string) => {
  const res = await h.request(path, { key });
  expect(res.status, path).toBe(200);
  return (await res.json()) as Record<string, unknown>;
};

describe("GET /v1/metrics/success", () => {
  it("every figure equals the hand-computed answer", async () => {
    const m = (await read(admin, "/v1/metrics/success?weeks=3")) as unknown as Metrics;
    expect(m.from).toBe("2026-11-09T00:00:00.000Z");
    expect(m.to).toBe("2026-11-30T00:00:00.000Z");
    const seconds = Object.fromEntries(m.activation.steps.map((s) => [s.step, s.secondsSinceTenantCreated]));
    expect(m.activation).toMatchObject({ done: 4, total: 7 });
    expect(seconds).toEqual({
      idp_configured: 23 * 86_400 + 8 * 3600,
      tenant_configured: null,
      first_import_committed: null,
      first_command: 9 * 86_400 + 10 * 3600,
      first_approval: 9 * 86_400 + 11 * 3600,
      first_incident: 4 * 86_400 + 9 * 3600,
      first_evidence_export: null,
    });
    expect(m.timeToFirstCommand.seconds).toBe(9 * 86_400 + 10 * 3600);
    const weekly = m.weekly.map((w) => ({
      week: w.week,
      wau: w.activeOperators.value,
      approvals: w.approvals.value,
      incidents: w.incidents.value,
      withRun: w.incidents.withRunbookRun,
      share: w.incidents.runbookRunShare,
      runs: w.runbookRuns.value,
    }));
    expect(weekly).toEqual([
      { week: "2026-11-09", wau: 2, approvals: 1, incidents: 1, withRun: 1, share: 1, runs: 1 },
      { week: "2026-11-16", wau: 3, approvals: 2, incidents: 2, withRun: 1, share: 0.5, runs: 1 },
      // k1, k2, k3 and the admin key that sent the feedback
      { week: "2026-11-23", wau: 4, approvals: 1, incidents: 0, withRun: 0, share: null, runs: 0 },
    ]);
    expect(m.approvalCycle).toMatchObject({ decided: 4, medianSeconds: 120, p90Seconds: 600 });
    expect(m.imports).toMatchObject({ dryRuns: 3, passed: 2, passRate: 0.6667 });
    expect(m.frictionPerScreen.map((f) => [f.screen, f.count])).toEqual([
      ["a", 2],
      ["b", 1],
    ]);
  });

  it("each figure's links list exactly what it counts", async () => {
    const m = (await read(admin, "/v1/metrics/success?weeks=3")) as unknown as Metrics;
    const items = async (links: string[]) => {
      const all: { actor: string; kind: string }[] = [];
      for (const link of links)
        all.push(...((await read(admin, `${link}&limit=200`)).items as { actor: string; kind: string }[]));
      return all;
    };
    for (const w of m.weekly) {
      expect((await items(w.approvals.links)).length, w.week).toBe(w.approvals.value);
      expect((await items(w.runbookRuns.links)).length, w.week).toBe(w.runbookRuns.value);
      const opened = (await items(w.incidents.links)).filter((r) => r.kind === "incident.opened");
      expect(opened.length, w.week).toBe(w.incidents.value);
      const actors = new Set(
        (await items(w.activeOperators.links)).map((r) => r.actor).filter((a) => !a.startsWith("system:")),
      );
      expect(actors.size, w.week).toBe(w.activeOperators.value);
    }
    for (const f of m.frictionPerScreen)
      expect(((await read(admin, f.links[0] ?? "")).items as unknown[]).length).toBe(f.count);
  });

  it("admins and viewers read it; an operator gets 403", async () => {
    const key = async (role: "viewer" | "operator") =>
      (await createApiKey({ ctx: h.ctx(), input: { tenantId: tenant.id, name: role, role } })).secret;
    expect((await h.request("/v1/metrics/success", { key: await key("viewer") })).status).toBe(200);
    expect((await h.request("/v1/metrics/success", { key: await key("operator") })).status).toBe(403);
    expect((await h.request("/v1/metrics/success?weeks=53", { key: admin })).status).toBe(400);
  });
});
