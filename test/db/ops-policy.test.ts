/** Policy on ops actions: four eyes, roles, denials with decision and receipt ids; expiry. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expireApprovals } from "../../shared/ops/approvals/expire";
import { createHarness, type Harness } from "../support/harness";
import { type Body, issueKey, opsClient } from "./ops-support";

let h: Harness;
let api: ReturnType<typeof opsClient>;
beforeAll(async () => {
  h = await createHarness();
  api = opsClient(h);
}, 60_000);
afterAll(() => h.close());

/** A production target: policy (four-eyes.cedar) holds it for another approver. */
const restart = { name: "service.restart", target: "prod:checkout-api" };

describe("ops policy", () => {
  it("a requester approving their own request is denied by four eyes, with decision and receipt ids", async () => {
    const approver = await issueKey(h, "approver");
    // Approvers do not run commands; an admin's governed exception lets this one, so four eyes is what is tested.
    await api.ok(h.tenantA.apiKey, "POST", "/v1/policy-exceptions", {
      principal: `Switchboard::ApiKey::"${approver.id}"`,
      action: "runCommand",
      rationale: "Four-eyes test: an approver who also requests.",
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const command = await api.ok(approver.key, "POST", "/v1/commands", restart);
    const own = await api.call(approver.key, "POST", `/v1/approvals/${command.approvalId}/approve`);
    expect(own.status).toBe(403);
    expect(own.body).toMatchObject({ code: "forbidden", remediation: "needs approval by another approver" });
    const decision = await api.ok(h.tenantA.apiKey, "GET", `/v1/decisions/${own.body.decisionId}`);
    expect(decision).toMatchObject({ action: "approve", decision: "deny" });
    expect(decision.determiningPolicies).toContain("approval-not-own-request");
    const receipt = await api.ok(h.tenantA.apiKey, "GET", `/v1/receipts/${own.body.receiptId}`);
    expect(receipt).toMatchObject({ receipt: { kind: "policy.denied", decisionId: own.body.decisionId } });
    // Denying one's own request is deciding it too.
    expect(
      (await api.call(approver.key, "POST", `/v1/approvals/${command.approvalId}/deny`, { reason: "x" }))
        .status,
    ).toBe(403);
    // Another approver may.
    const second = await issueKey(h, "approver");
    const denied = await api.ok(second.key, "POST", `/v1/approvals/${command.approvalId}/deny`, {
      reason: "sale window",
    });
    expect(denied).toMatchObject({ status: "denied", reason: "sale window" });
    expect(await api.ok(second.key, "GET", `/v1/commands/${command.id}`)).toMatchObject({
      status: "cancelled",
    });
  });

  it("a viewer cannot run commands, open incidents or launch runbooks: 403 with a decision id", async () => {
    const viewer = (await issueKey(h, "viewer")).key;
    for (const [path, body] of [
      ["/v1/commands", restart],
      ["/v1/incidents", { title: "x", severity: "SEV3", service: "svc:x" }],
    ] as const) {
      const res = await api.call(viewer, "POST", path, body);
      expect(res.status, path).toBe(403);
      expect(res.body.decisionId, path).toMatch(/^dec_/);
      expect(res.body.receiptId, path).toMatch(/^rcpt_/);
    }
    expect((await api.ok(viewer, "GET", "/v1/commands")).items).toBeDefined();
  });

  it("another operator cannot approve (needs role approver)", async () => {
    const operator = (await issueKey(h, "operator")).key;
    const command = await api.ok(operator, "POST", "/v1/commands", restart);
    const other = (await issueKey(h, "operator")).key;
    const res = await api.call(other, "POST", `/v1/approvals/${command.approvalId}/approve`);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ remediation: "needs role approver" });
  });

  it("pending approvals expire through the cron task; the command is cancelled and cycle time kept", async () => {
    const operator = (await issueKey(h, "operator")).key;
    const command = await api.ok(operator, "POST", "/v1/commands", { ...restart, approvalTtlSeconds: 60 });
    const later = new Date(Date.now() + 120_000);
    const result = await expireApprovals({ ...h.ctx(), clock: { now: () => later } });
    expect(result.expired).toBeGreaterThanOrEqual(1);
    const approval = await api.ok(operator, "GET", `/v1/approvals/${command.approvalId}`);
    expect(approval).toMatchObject({ status: "expired" });
    expect(approval.cycleMs).toBeGreaterThanOrEqual(60_000);
    const cancelled = await api.ok(operator, "GET", `/v1/commands/${command.id}`);
    expect(cancelled).toMatchObject({ status: "cancelled", error: "approval expired" });
    const approver = (await issueKey(h, "approver")).key;
    expect((await api.call(approver, "POST", `/v1/approvals/${command.approvalId}/approve`)).status).toBe(
      409,
    );
  });

  it("runbooks: admins author and version, imported and authored share one list", async () => {
    const source = {
      id: "flush-cache",
      title: "Flush the cache",
      version: 1,
      inputs: [{ name: "region", required: true }],
      steps: [
        {
          id: "flush",
          title: "Flush",
          kind: "command",
          command: "cache.flush",
          params: { region: "{{ region }}" },
        },
      ],
    };
    const operator = (await issueKey(h, "operator")).key;
    expect((await api.call(operator, "POST", "/v1/runbooks", source)).status).toBe(403);
    const created = await api.ok(h.tenantA.apiKey, "POST", "/v1/runbooks", source);
    expect(created).toMatchObject({ key: "flush-cache", version: 1, source: "api" });
    const invalid = await api.call(h.tenantA.apiKey, "POST", "/v1/runbooks", {
      ...source,
      id: "x2",
      steps: [{ id: "s", title: "S", kind: "command", command: "a.b", params: { r: "{{ nope }}" } }],
    });
    expect(invalid.status).toBe(422);
    expect(
      (await api.call(h.tenantA.apiKey, "POST", `/v1/runbooks/${created.id}/versions`, source)).status,
    ).toBe(409);
    const v2 = await api.ok(h.tenantA.apiKey, "POST", `/v1/runbooks/${created.id}/versions`, {
      ...source,
      title: "Flush the CDN cache",
    });
    expect(v2).toMatchObject({ version: 2, title: "Flush the CDN cache" });
    const versions = (await api.ok(operator, "GET", `/v1/runbooks/${created.id}/versions`)).items as Body[];
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    // Standalone launch (no executor: the command waits for a recorded outcome, then the run succeeds).
    const missing = await api.call(operator, "POST", `/v1/runbooks/${created.id}/runs`, { inputs: {} });
    expect(missing.status).toBe(400);
    const run = await api.ok(operator, "POST", `/v1/runbooks/${created.id}/runs`, {
      inputs: { region: "eu" },
    });
    const step = (run.steps as Body[])[0];
    expect(step).toMatchObject({ status: "running" });
    const cmd = await api.ok(operator, "GET", `/v1/commands/${step?.commandId}`);
    expect(cmd).toMatchObject({ status: "dispatched", dispatchMode: "manual", params: { region: "eu" } });
    await api.ok(operator, "POST", `/v1/commands/${cmd.id}/outcome`, { status: "succeeded" });
    expect(await api.ok(operator, "GET", `/v1/runbook-runs/${run.id}`)).toMatchObject({
      status: "succeeded",
      runbookVersion: 2,
    });
  });
});
