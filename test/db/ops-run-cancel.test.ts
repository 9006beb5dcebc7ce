/**
 * POST /v1/runbook-runs/{id}/cancel: an operator cancels a run in progress; its pending
 * approvals and its commands not yet dispatched are cancelled with it, each receipted. A
 * finished run is a 409; a viewer is denied with a decision id; another tenant's run is a 404.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness";
import { type Body, issueKey, launchWithWorkerLost, opsClient } from "./ops-support";

let h: Harness;
let api: ReturnType<typeof opsClient>;
let operator: { id: string; key: string };
beforeAll(async () => {
  h = await createHarness();
  api = opsClient(h);
  operator = await issueKey(h, "operator");
}, 60_000);
afterAll(() => h.close());

let serial = 0;
async function runbookWith(steps: Record<string, unknown>[]) {
  return api.ok(h.tenantA.apiKey, "POST", "/v1/runbooks", {
    id: `cancel-${++serial}`,
    title: "Cancel me",
    version: 1,
    steps,
  });
}
const approvalStep = { id: "gate", title: "Gate", kind: "manual", requires_approval: true };
const cancel = (key: string, id: string, body?: unknown) =>
  api.call(key, "POST", `/v1/runbook-runs/${id}/cancel`, body);
const receipt = async (id: unknown) =>
  ((await api.ok(h.tenantA.apiKey, "GET", `/v1/receipts/${id}`)).receipt ?? {}) as Body;

describe("cancelling a runbook run", () => {
  it("cancels the run, its waiting step and its pending approval, with a reason and receipts", async () => {
    const runbook = await runbookWith([approvalStep, { id: "after", title: "After", kind: "manual" }]);
    const run = await api.ok(operator.key, "POST", `/v1/runbooks/${runbook.id}/runs`, { inputs: {} });
    const approvalId = (run.steps as Body[])[0]?.approvalId;
    expect(approvalId).toMatch(/^apr_/);

    const res = await cancel(operator.key, run.id, { reason: "wrong zone" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: run.id, status: "cancelled" });
    expect(res.body.finishedAt).toEqual(expect.any(String));
    const steps = res.body.steps as Body[];
    expect(steps.map((s) => s.status)).toEqual(["cancelled", "pending"]);
    expect(steps[0]?.note).toBe(`cancelled by api_key:${operator.id}: wrong zone`);
    expect(res.body.decisionId).toMatch(/^dec_/);
    expect(await receipt(res.body.receiptId)).toMatchObject({
      kind: "runbook_run.cancelled",
      subject: `runbook_run:${run.id}`,
      decisionId: res.body.decisionId,
      details: { reason: "wrong zone", by: `api_key:${operator.id}` },
    });

    expect(await api.ok(operator.key, "GET", `/v1/approvals/${approvalId}`)).toMatchObject({
      status: "cancelled",
    });
    const approvalReceipts = (
      await api.ok(h.tenantA.apiKey, "GET", `/v1/timeline?subject=approval:${approvalId}`)
    ).items as Body[];
    expect(approvalReceipts.map((r) => r.kind)).toEqual(["approval.cancelled", "approval.requested"]);
    const approver = (await issueKey(h, "approver")).key;
    expect((await api.call(approver, "POST", `/v1/approvals/${approvalId}/approve`)).status).toBe(409);
  });

  it("cancels a command the run issued that was never dispatched", async () => {
    const runbook = await runbookWith([
      { id: "flush", title: "Flush", kind: "command", command: "cache.flush" },
    ]);
    const { runId, commandId } = await launchWithWorkerLost(h, operator, runbook.id);

    const res = await cancel(operator.key, runId);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((res.body.steps as Body[])[0]).toMatchObject({ status: "cancelled" });
    const command = await api.ok(operator.key, "GET", `/v1/commands/${commandId}`);
    expect(command).toMatchObject({ status: "cancelled", error: `cancelled by api_key:${operator.id}` });
    const kinds = (
      (await api.ok(h.tenantA.apiKey, "GET", `/v1/timeline?subject=command:${commandId}`)).items as Body[]
    )
      .map((r) => r.kind)
      .reverse();
    expect(kinds).toEqual(["command.requested", "command.cancelled"]);
  });

  it("a finished run answers 409 and stays as it was", async () => {
    const runbook = await runbookWith([{ id: "only", title: "Only", kind: "manual" }]);
    const run = await api.ok(operator.key, "POST", `/v1/runbooks/${runbook.id}/runs`, { inputs: {} });
    await api.ok(operator.key, "POST", `/v1/runbook-runs/${run.id}/steps/only/complete`, {});
    const res = await cancel(operator.key, run.id, { reason: "too late" });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "conflict" });
    expect(String(res.body.detail)).toContain(`Runbook run ${run.id} already succeeded`);
    expect(String(res.body.detail)).toContain("only a run in progress can be cancelled");
    expect((await api.ok(operator.key, "GET", `/v1/runbook-runs/${run.id}`)).status).toBe("succeeded");

    // Cancelling twice: the second finds it already cancelled.
    const other = await api.ok(operator.key, "POST", `/v1/runbooks/${runbook.id}/runs`, { inputs: {} });
    expect((await cancel(operator.key, other.id)).status).toBe(200);
    const again = await cancel(operator.key, other.id);
    expect(again.status).toBe(409);
    expect(String(again.body.detail)).toContain("already cancelled");
  });

  it("a viewer is denied with a decision id; the run keeps going", async () => {
    const runbook = await runbookWith([approvalStep]);
    const run = await api.ok(operator.key, "POST", `/v1/runbooks/${runbook.id}/runs`, { inputs: {} });
    const viewer = (await issueKey(h, "viewer")).key;
    const res = await cancel(viewer, run.id, { reason: "not mine to cancel" });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: "forbidden" });
    expect(res.body.decisionId).toMatch(/^dec_/);
    expect(res.body.receiptId).toMatch(/^rcpt_/);
    const decision = await api.ok(h.tenantA.apiKey, "GET", `/v1/decisions/${res.body.decisionId}`);
    expect(decision).toMatchObject({ action: "launchRunbook", decision: "deny" });
    expect((await api.ok(operator.key, "GET", `/v1/runbook-runs/${run.id}`)).status).toBe("waiting");
  });

  it("another tenant's run is a 404", async () => {
    const runbook = await runbookWith([approvalStep]);
    const run = await api.ok(operator.key, "POST", `/v1/runbooks/${runbook.id}/runs`, { inputs: {} });
    const res = await cancel(h.tenantB.apiKey, run.id, { reason: "not ours" });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: "not_found" });
    expect((await api.ok(operator.key, "GET", `/v1/runbook-runs/${run.id}`)).status).toBe("waiting");
  });

  it("approving a step and cancelling its run at the same moment never deadlock: each answers 200 or 409", async () => {
    const runbook = await runbookWith([approvalStep, { id: "after", title: "After", kind: "manual" }]);
    const approver = (await issueKey(h, "approver")).key;
    for (let i = 0; i < 8; i++) {
      const run = await api.ok(operator.key, "POST", `/v1/runbooks/${runbook.id}/runs`, { inputs: {} });
      const approvalId = (run.steps as Body[])[0]?.approvalId;
      const [approved, cancelled] = await Promise.all([
        api.call(approver, "POST", `/v1/approvals/${approvalId}/approve`),
        cancel(operator.key, run.id),
      ]);
      expect([200, 409], JSON.stringify(approved.body)).toContain(approved.status);
      expect([200, 409], JSON.stringify(cancelled.body)).toContain(cancelled.status);
      expect(await api.ok(operator.key, "GET", `/v1/runbook-runs/${run.id}`)).toMatchObject({
        status: cancelled.status === 200 ? "cancelled" : expect.any(String),
      });
    }
  });
});
