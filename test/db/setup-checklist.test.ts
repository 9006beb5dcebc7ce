/**
 * The guided-setup checklist over HTTP: a tenant walked through the seven steps with real API
 * actions ends fully done, each step with its proving receipt and one `setup.step.done`
 * receipt, however often and however concurrently it is evaluated; the log that already holds
 * proofs completes from it (backfill); an admin's marks and undos are receipted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCron } from "../../functions/jobs/cron";
import { setupStepKeys } from "../../shared/setup/steps";
import { createHarness, type Harness, type SeededTenant } from "../support/harness";
import { issueKey, opsClient } from "./ops-support";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
}, 60_000);
afterAll(() => h.close());

type Step = {
  step: string;
  state: string;
  source: string | null;
  at: string | null;
  by: string | null;
  proofReceiptId: string | null;
  receiptId: string | null;
  reason: string | null;
  next: { path: string } | null;
};
type Checklist = {
  done: number;
  skipped: number;
  total: number;
  complete: boolean;
  steps: Step[];
  next: { step: string } | null;
};

const checklist = async (key: string) => {
  const res = await h.request("/v1/setup/checklist", { key });
  expect(res.status).toBe(200);
  return (await res.json()) as Checklist;
};
const stepOf = (list: Checklist, step: string) => list.steps.find((s) => s.step === step) as Step;
const receipts = async (key: string, kind: string) => {
  const res = await h.request(`/v1/timeline?kind=${kind}&limit=100`, { key });
  return (
    (await res.json()) as {
      items: { id: string; kind: string; links: string[]; details: Record<string, unknown> }[];
    }
  ).items;
};
const receipt = async (key: string, id: string) =>
  (
    (await (await h.request(`/v1/receipts/${id}`, { key })).json()) as {
      receipt: { kind: string; actor: string };
    }
  ).receipt;

/** Every step, through the API, as the tenant's own people would do it. */
async function walkAllSteps(tenant: SeededTenant) {
  const api = opsClient(h);
  const admin = tenant.apiKey;
  const operator = await tenant.keyFor("operator");
  const approver = await tenant.keyFor("approver");
  await api.ok(admin, "PUT", "/v1/idp", {
    issuer: `https://idp.${tenant.slug}.test`,
    audience: "switchboard",
    jwksUrl: `https://idp.${tenant.slug}.test/jwks`,
  });
  await api.ok(admin, "POST", "/v1/domains", { host: `pilot.${tenant.slug}.test`, displayName: "Pilot" });
  const plan = await h.request("/v1/imports?kind=incidents", {
    method: "POST",
    key: admin,
    headers: { "content-type": "text/csv" },
    body: "id,title,status,created_on\nold-1,Old outage,resolved,2026-01-01T00:00:00Z\n",
  });
  expect(plan.status).toBe(201);
  const planId = ((await plan.json()) as { id: string }).id;
  await api.ok(admin, "POST", `/v1/imports/plans/${planId}/commit`);
  await h.platform.queue.drain();
  const command = await api.ok(operator, "POST", "/v1/commands", {
    name: "service.restart",
    target: "prod:checkout",
  });
  await api.ok(approver, "POST", `/v1/approvals/${String(command.approvalId)}/approve`);
  await api.ok(operator, "POST", "/v1/incidents", {
    title: "Checkout slow",
    severity: "SEV2",
    service: "svc:checkout",
  });
  await api.ok(admin, "GET", "/v1/evidence");
  await h.platform.queue.drain();
}

const proofKinds: Record<string, string> = {
  idp_configured: "idp.configured",
  tenant_configured: "domain.added",
  first_import_committed: "import.committed",
  first_command: "command.requested",
  first_approval: "approval.approved",
  first_incident: "incident.opened",
  first_evidence_export: "evidence.exported",
};

describe("GET /v1/setup/checklist", () => {
  it("starts with seven pending steps and names the next API call", async () => {
    const list = await checklist(await h.tenantA.keyFor("viewer"));
    expect(list).toMatchObject({ done: 0, total: 7, complete: false });
    expect(list.steps.map((s) => s.step)).toEqual([...setupStepKeys]);
    expect(list.steps.every((s) => s.state === "pending" && s.next !== null)).toBe(true);
    expect(list.next).toMatchObject({ step: "idp_configured", method: "PUT", path: "/v1/idp" });
  });

  it("completes every step from real actions, each with its proving receipt, once, however often read", async () => {
    await walkAllSteps(h.tenantA);
    const admin = h.tenantA.apiKey;
    // Read concurrently, and run the cron task beside the reads: still one done receipt per step.
    const lists = await Promise.all([
      ...Array.from({ length: 6 }, () => checklist(admin)),
      runCron(h.platform, "* * * * *").then(() => checklist(admin)),
    ]);
    const list = lists[0] as Checklist;
    expect(list).toMatchObject({ done: 7, skipped: 0, total: 7, complete: true, next: null });
    for (const step of list.steps) {
      expect(step).toMatchObject({ state: "done", source: "event", next: null });
      const proof = await receipt(admin, step.proofReceiptId ?? "");
      expect(proof.kind, step.step).toBe(proofKinds[step.step]);
      expect(step.by).toBe(proof.actor);
      const done = await receipt(admin, step.receiptId ?? "");
      expect(done.kind).toBe("setup.step.done");
    }
    expect(stepOf(list, "first_command").by).toMatch(/^api_key:/);
    const doneReceipts = await receipts(admin, "setup.step.done");
    expect(doneReceipts).toHaveLength(7);
    expect(new Set(doneReceipts.map((r) => r.details.step))).toEqual(new Set(setupStepKeys));
    for (const r of doneReceipts) {
      const step = stepOf(list, String(r.details.step));
      expect(r.links).toEqual([step.proofReceiptId]);
    }
    for (const l of lists) expect(l).toEqual(list);
  });

  it("a second proof of a step (another command) leaves its done receipt alone", async () => {
    const api = opsClient(h);
    const operator = (await issueKey(h, "operator")).key;
    const before = stepOf(await checklist(h.tenantA.apiKey), "first_command");
    await api.ok(operator, "POST", "/v1/commands", { name: "service.restart", target: "svc:other" });
    const after = stepOf(await checklist(h.tenantA.apiKey), "first_command");
    expect(after).toEqual(before);
    expect(await receipts(h.tenantA.apiKey, "setup.step.done")).toHaveLength(7);
  });
});

describe("backfill from the existing log", () => {
  it("a tenant whose proofs are already in the log completes from the cron task, once", async () => {
    // Tenant B acts first; nothing reads its checklist.
    await walkAllSteps(h.tenantB);
    const admin = h.tenantB.apiKey;
    expect(await receipts(admin, "setup.step.done")).toHaveLength(0);
    await runCron(h.platform, "* * * * *");
    await runCron(h.platform, "* * * * *");
    expect(await receipts(admin, "setup.step.done")).toHaveLength(7);
    const list = await checklist(admin);
    expect(list.complete).toBe(true);
    expect(await receipts(admin, "setup.step.done")).toHaveLength(7);
  });
});

describe("marking steps by hand", () => {
  let fresh: SeededTenant;
  const mark = (key: string, body: unknown, path = "/v1/setup/marks") =>
    h.request(path, {
      method: "POST",
      key,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    const { createTenantWithAdminKey } = await import("../../shared/tenants/seed");
    const { createApiKey } = await import("../../shared/tenants/api-keys");
    const created = await createTenantWithAdminKey({
      ctx: h.ctx(),
      input: { slug: "initech", name: "Initech" },
    });
    fresh = {
      id: created.tenantId,
      slug: "initech",
      apiKey: created.apiKey,
      keyFor: async (role) =>
        (await createApiKey({ ctx: h.ctx(), input: { tenantId: created.tenantId, name: role, role } }))
          .secret,
    };
  });

  it("needs an admin and a reason", async () => {
    const viewer = await fresh.keyFor("viewer");
    expect(
      (await mark(viewer, { step: "idp_configured", state: "skipped", reason: "no IdP yet" })).status,
    ).toBe(403);
    const noReason = await mark(fresh.apiKey, { step: "idp_configured", state: "skipped" });
    expect(noReason.status).toBe(400);
    expect(await noReason.json()).toMatchObject({
      code: "validation_failed",
      errors: [{ pointer: "/reason" }],
    });
    expect((await mark(fresh.apiKey, { step: "nope", state: "done", reason: "xyz" })).status).toBe(400);
  });

  it("skip with a reason → receipted; again → 409; undo → receipted and pending; undo again → 409", async () => {
    const admin = fresh.apiKey;
    const skipped = await mark(admin, {
      step: "idp_configured",
      state: "skipped",
      reason: "API keys only for now",
    });
    expect(skipped.status).toBe(201);
    const body = (await skipped.json()) as { receiptId: string; decisionId: string };
    const r = await receipt(admin, body.receiptId);
    expect(r.kind).toBe("setup.step.skipped");
    const [skipReceipt] = await receipts(admin, "setup.step.skipped");
    expect(skipReceipt?.details).toMatchObject({
      step: "idp_configured",
      source: "manual",
      reason: "API keys only for now",
    });
    expect(skipReceipt?.links).toEqual([body.decisionId]);
    const list = await checklist(admin);
    expect(stepOf(list, "idp_configured")).toMatchObject({
      state: "skipped",
      source: "manual",
      reason: "API keys only for now",
      proofReceiptId: null,
      receiptId: body.receiptId,
    });
    expect(list.next).toMatchObject({ step: "tenant_configured" });
    expect(list).toMatchObject({ done: 0, skipped: 1 });

    expect((await mark(admin, { step: "idp_configured", state: "done", reason: "twice" })).status).toBe(409);

    const undone = await mark(
      admin,
      { step: "idp_configured", reason: "IdP is ready" },
      "/v1/setup/marks/undo",
    );
    expect(undone.status).toBe(200);
    const [reopened] = await receipts(admin, "setup.step.reopened");
    expect(reopened?.details).toMatchObject({
      step: "idp_configured",
      undoes: body.receiptId,
      previousState: "skipped",
    });
    expect(stepOf(await checklist(admin), "idp_configured").state).toBe("pending");
    expect((await mark(admin, { step: "idp_configured" }, "/v1/setup/marks/undo")).status).toBe(409);
  });

  it("a real event replaces a hand mark with its proof; a proven step cannot be marked or undone", async () => {
    const admin = fresh.apiKey;
    expect(
      (await mark(admin, { step: "first_incident", state: "done", reason: "opened by phone" })).status,
    ).toBe(201);
    const operator = await fresh.keyFor("operator");
    await opsClient(h).ok(operator, "POST", "/v1/incidents", {
      title: "Real",
      severity: "SEV3",
      service: "svc:a",
    });
    const step = stepOf(await checklist(admin), "first_incident");
    expect(step).toMatchObject({ state: "done", source: "event", reason: null });
    expect((await receipt(admin, step.proofReceiptId ?? "")).kind).toBe("incident.opened");
    expect((await mark(admin, { step: "first_incident", state: "skipped", reason: "x y z" })).status).toBe(
      409,
    );
    expect((await mark(admin, { step: "first_incident" }, "/v1/setup/marks/undo")).status).toBe(409);
  });
});
