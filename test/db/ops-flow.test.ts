/**
 * The issue's "done when", through the API alone: open an incident, launch an imported
 * runbook for it, a command that needs approval approved by a second person, dispatched to
 * a real executor on loopback that verifies the JWS, the incident resolved; every step has a
 * receipt (and a telemetry event with the same id) and the timeline shows them in order.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { telemetryEvents } from "../../shared/db/schema";
import { type ExecutorCall, startExecutor } from "../support/executor-server";
import { createHarness, type Harness } from "../support/harness";
import { commitAndApply, plan, sample } from "./imports-support";
import { type Body, issueKey, jwksOf, opsClient } from "./ops-support";

let h: Harness;
let executor: Awaited<ReturnType<typeof startExecutor>>;
let api: ReturnType<typeof opsClient>;
beforeAll(async () => {
  h = await createHarness({ OUTBOUND_ALLOW_LOOPBACK: "true" }); // a real executor / IdP on 127.0.0.1
  api = opsClient(h);
  executor = await startExecutor(jwksOf(h));
}, 60_000);
afterAll(async () => {
  await executor.close();
  await h.close();
});

describe("ops core end to end", () => {
  it("incident → imported runbook run → approved command → signed dispatch → resolved, all receipted", async () => {
    const admin = h.tenantA.apiKey;
    const operator = (await issueKey(h, "operator")).key;
    const approver = (await issueKey(h, "approver")).key;
    await api.ok(admin, "PUT", "/v1/executor", {
      url: executor.url,
      timeoutMs: 2000,
      maxAttempts: 3,
      backoffSeconds: 0,
    });

    // The runbook arrives through the imports API.
    const planned = await plan(h, admin, {
      kind: "runbooks",
      body: sample("runbooks/restart-checkout.yaml"),
      contentType: "application/yaml",
    });
    expect((await commitAndApply(h, admin, planned.id)).status).toBe("completed");
    const runbooks = (await api.ok(operator, "GET", "/v1/runbooks")).items as Body[];
    const runbook = runbooks.find((r) => r.key === "restart-checkout-api");
    expect(runbook).toMatchObject({ source: "import", version: 1 });

    const incident = await api.ok(operator, "POST", "/v1/incidents", {
      title: "Checkout 5xx",
      severity: "SEV2",
      service: "svc:checkout-api",
    });
    await api.ok(operator, "POST", `/v1/incidents/${incident.id}/acknowledge`);

    // Inputs are checked at launch.
    const bad = await api.call(operator, "POST", `/v1/runbooks/${runbook?.id}/runs`, {
      incidentId: incident.id,
      inputs: { zoen: "a" },
    });
    expect(bad.status).toBe(400);
    const run = await api.ok(operator, "POST", `/v1/runbooks/${runbook?.id}/runs`, {
      incidentId: incident.id,
      inputs: { zone: "eu-west-1a" },
    });
    const steps = () => api.ok(operator, "GET", `/v1/runbook-runs/${run.id}`).then((r) => r.steps as Body[]);
    expect((await steps()).map((s) => s.status)).toEqual([
      "awaiting_operator",
      "pending",
      "pending",
      "pending",
    ]);
    await api.ok(operator, "POST", `/v1/runbook-runs/${run.id}/steps/check-dashboards/complete`, {
      note: "error rate 4%",
    });
    const drain = (await steps())[1];
    expect(drain).toMatchObject({ status: "awaiting_approval" });

    await api.ok(approver, "POST", `/v1/approvals/${drain?.approvalId}/approve`);
    await h.platform.queue.drain();
    const afterCommands = await steps();
    expect(afterCommands.map((s) => s.status)).toEqual([
      "completed",
      "completed",
      "completed",
      "awaiting_operator",
    ]);
    const drainCall = executor.calls.find((c) => c.payload?.name === "traffic.drain") as ExecutorCall;
    expect(drainCall).toMatchObject({ verified: true, typ: "switchboard-command+jws" });
    expect(drainCall.payload).toMatchObject({
      params: { zone: "eu-west-1a" },
      incidentId: incident.id,
      runId: run.id,
    });
    await api.ok(operator, "POST", `/v1/runbook-runs/${run.id}/steps/verify/complete`, {});
    expect((await api.ok(operator, "GET", `/v1/runbook-runs/${run.id}`)).status).toBe("succeeded");

    // A command on its own that needs approval, approved by a second person.
    const command = await api.ok(operator, "POST", "/v1/commands", {
      name: "service.restart",
      target: "prod:checkout-api", // production: policy holds it for a second person
      incidentId: incident.id,
    });
    expect(command).toMatchObject({ status: "awaiting_approval" });
    await api.ok(approver, "POST", `/v1/approvals/${command.approvalId}/approve`);
    await h.platform.queue.drain();
    const done = await api.ok(operator, "GET", `/v1/commands/${command.id}`);
    expect(done).toMatchObject({ status: "succeeded", dispatchMode: "webhook", attemptCount: 1 });
    expect((done.attempts as Body[])[0]).toMatchObject({ outcome: "succeeded", statusCode: 200 });
    const approval = await api.ok(operator, "GET", `/v1/approvals/${command.approvalId}`);
    expect(approval.cycleMs).toBeGreaterThanOrEqual(0);

    const resolved = await api.ok(operator, "POST", `/v1/incidents/${incident.id}/resolve`, {
      resolution: "restarted",
    });
    expect(resolved).toMatchObject({ status: "resolved", severity: "SEV2" });
    expect((resolved.links as { runbookRuns: string[] }).runbookRuns).toEqual([run.id]);
    expect((resolved.links as { commands: string[] }).commands).toHaveLength(3);

    // The timeline, oldest first, holds every step in order; each receipt has its telemetry event.
    const timeline = (await api.ok(admin, "GET", "/v1/timeline?limit=200")).items as Body[];
    const ops = timeline
      .reverse()
      .filter((r) => /^(incident|runbook_run|command|approval)\./.test(String(r.kind)));
    const kinds = ops.map((r) => r.kind);
    const expected = [
      "incident.opened",
      "incident.acknowledged",
      "runbook_run.launched",
      "runbook_run.step_started",
      "runbook_run.step_completed",
      "approval.requested",
      "approval.approved",
      "runbook_run.step_started",
      "command.requested",
      "command.dispatched",
      "command.succeeded",
      "runbook_run.step_started",
      "command.requested",
      "command.dispatched",
      "command.succeeded",
      "runbook_run.step_started",
      "runbook_run.step_completed",
      "runbook_run.succeeded",
      "command.requested",
      "approval.requested",
      "approval.approved",
      "command.dispatched",
      "command.succeeded",
      "incident.resolved",
    ];
    expect(kinds).toEqual(expected);
    const events = await h.database
      .connect()
      .db.select()
      .from(telemetryEvents)
      .where(eq(telemetryEvents.tenantId, h.tenantA.id));
    const eventIds = new Set(events.map((e) => e.id));
    for (const r of ops) expect(eventIds.has(r.id), `event for ${r.kind}`).toBe(true);
  });
});
