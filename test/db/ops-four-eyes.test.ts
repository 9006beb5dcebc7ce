/**
 * Four eyes is policy, not the requester's choice: whether a command waits for another approver
 * is decided by Cedar (`skipApproval`, policies/four-eyes.cedar) on its name and target, and the
 * requester's `requiresApproval` flag changes nothing. No governed exception lets an approver
 * approve their own request.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness";
import { type Body, issueKey, opsClient } from "./ops-support";

let h: Harness;
let api: ReturnType<typeof opsClient>;
let operator: string;

beforeAll(async () => {
  h = await createHarness();
  api = opsClient(h);
  operator = (await issueKey(h, "operator")).key;
}, 60_000);
afterAll(() => h.close());

const hour = 3_600_000;
const rationale = "Change CHG-7: the release approver also runs the production restart tonight.";

describe("whether a command needs approval", () => {
  it("a production target waits for an approver even when the requester says it does not", async () => {
    const command = await api.ok(operator, "POST", "/v1/commands", {
      name: "service.restart",
      target: "prod:checkout-api",
      requiresApproval: false,
    });
    expect(command).toMatchObject({ status: "awaiting_approval", requiresApproval: true });
    expect(command.approvalId).toMatch(/^apr_/);
  });

  it("a destructive command waits for an approver on any target", async () => {
    for (const name of ["cache.delete", "db.failover", "deploy.rollback"]) {
      const command = await api.ok(operator, "POST", "/v1/commands", { name, target: "svc:search" });
      expect(command, name).toMatchObject({ status: "awaiting_approval", requiresApproval: true });
    }
  });

  it("a routine command is dispatched at once, whatever the requester's flag says", async () => {
    const command = await api.ok(operator, "POST", "/v1/commands", {
      name: "service.restart",
      target: "svc:search",
      requiresApproval: true,
    });
    expect(command).toMatchObject({ status: "dispatched", requiresApproval: false, approvalId: null });
  });

  it("the policy decision is stored: which rule held the command", async () => {
    const command = await api.ok(operator, "POST", "/v1/commands", {
      name: "service.restart",
      target: "prod:payments",
    });
    const receipts = (await api.ok(operator, "GET", `/v1/timeline?subject=command:${command.id}`))
      .items as Body[];
    const requested = receipts.find((r) => r.kind === "command.requested") as Body;
    expect(requested.details).toMatchObject({ requiresApproval: true });
    const links = requested.links as string[];
    expect(links).toHaveLength(2);
    const fourEyes = await api.ok(h.tenantA.apiKey, "GET", `/v1/decisions/${links[1]}`);
    expect(fourEyes).toMatchObject({
      action: "skipApproval",
      decision: "deny",
      determiningPolicies: ["four-eyes-production"],
    });
  });
});

describe("an approver never approves their own request", () => {
  it("not even with governed exceptions for running the command and for approving", async () => {
    const approver = await issueKey(h, "approver");
    const approverUid = `Switchboard::ApiKey::"${approver.id}"`;
    const grant = (action: string) =>
      api.call(h.tenantA.apiKey, "POST", "/v1/policy-exceptions", {
        principal: approverUid,
        action,
        rationale,
        expiresAt: new Date(Date.now() + 2 * hour).toISOString(),
      });
    // The approver may run commands through an exception: that much an exception can lift.
    expect((await grant("runCommand")).status).toBe(201);
    const command = await api.ok(approver.key, "POST", "/v1/commands", {
      name: "service.restart",
      target: "prod:checkout-api",
    });
    expect(command).toMatchObject({ status: "awaiting_approval" });
    // An exception for `approve` is recorded, but never lifts four eyes.
    expect((await grant("approve")).status).toBe(201);
    const own = await api.call(approver.key, "POST", `/v1/approvals/${command.approvalId}/approve`);
    expect(own.status).toBe(403);
    const decision = await api.ok(h.tenantA.apiKey, "GET", `/v1/decisions/${own.body.decisionId}`);
    expect(decision).toMatchObject({
      decision: "deny",
      determiningPolicies: ["approval-not-own-request"],
      exceptionId: null,
    });
    expect((await api.ok(operator, "GET", `/v1/commands/${command.id}`)).status).toBe("awaiting_approval");
    // Another approver can.
    const other = await issueKey(h, "approver");
    await api.ok(other.key, "POST", `/v1/approvals/${command.approvalId}/approve`);
    expect((await api.ok(operator, "GET", `/v1/commands/${command.id}`)).status).toBe("dispatched");
  });

  it("four eyes itself cannot be the subject of an exception", async () => {
    const res = await api.call(h.tenantA.apiKey, "POST", "/v1/policy-exceptions", {
      principal: `Switchboard::ApiKey::"${(await issueKey(h, "operator")).id}"`,
      action: "skipApproval",
      rationale,
      expiresAt: new Date(Date.now() + hour).toISOString(),
    });
    expect(res.status).toBe(400);
  });
});
