/**
 * The runbook step `timeout`, enforced by the `step-timeouts` cron task on a fixed clock: a
 * step still waiting (for an operator, its approval or its command) past its deadline fails,
 * and its run with it, with receipts and telemetry events by `system:step-timeout`; what was
 * open on the run (its approval) is cancelled. Before the deadline nothing moves.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScheduled } from "../../shared/cron/scheduled";
import { telemetryEvents } from "../../shared/db/schema";
import { fixedClock } from "../../shared/platform/clock";
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

let serial = 0;
async function launch(step: Record<string, unknown>) {
  const runbook = await api.ok(h.tenantA.apiKey, "POST", "/v1/runbooks", {
    id: `timeouts-${++serial}`,
    title: "Timeouts",
    version: 1,
    steps: [step, { id: "after", title: "After", kind: "manual" }],
  });
  return api.ok(operator, "POST", `/v1/runbooks/${runbook.id}/runs`, { inputs: {} });
}

/** One cron tick, `ms` after the real now. */
const tickAt = (ms: number) =>
  runScheduled({ ctx: { ...h.ctx(), clock: fixedClock(new Date(Date.now() + ms)) }, cron: "*/5 * * * *" });

const steps = async (runId: string) =>
  (await api.ok(operator, "GET", `/v1/runbook-runs/${runId}`)).steps as Body[];
const receipts = async (subject: string) =>
  ((await api.ok(h.tenantA.apiKey, "GET", `/v1/timeline?subject=${subject}`)).items as Body[]).reverse();

describe("step timeouts", () => {
  it("a manual step still awaiting an operator after its timeout fails the run; receipted by the system", async () => {
    const run = await launch({ id: "check", title: "Check", kind: "manual", timeout: "10m" });
    const [check] = await steps(run.id);
    expect(check).toMatchObject({ status: "awaiting_operator", timeoutSeconds: 600 });
    const deadline = Date.parse(String(check?.deadlineAt)) - Date.now();
    expect(deadline).toBeGreaterThan(590_000);
    expect(deadline).toBeLessThanOrEqual(600_000);

    const early = await tickAt(deadline - 5_000);
    expect(early["step-timeouts"]).toEqual({ ok: true, result: { timedOut: 0 } });
    expect((await api.ok(operator, "GET", `/v1/runbook-runs/${run.id}`)).status).toBe("waiting");

    const late = await tickAt(deadline + 5_000);
    expect(late["step-timeouts"]).toEqual({ ok: true, result: { timedOut: 1 } });
    const failed = await api.ok(operator, "GET", `/v1/runbook-runs/${run.id}`);
    expect(failed).toMatchObject({ status: "failed" });
    expect((failed.steps as Body[]).map((s) => s.status)).toEqual(["failed", "pending"]);
    expect(String((failed.steps as Body[])[0]?.note)).toContain('step "check" timed out after 600 s');

    const kinds = (await receipts(`runbook_run:${run.id}`)).map((r) => [r.kind, r.actor]);
    expect(kinds.slice(-2)).toEqual([
      ["runbook_run.step_timed_out", "system:step-timeout"],
      ["runbook_run.failed", "system:step-timeout"],
    ]);
    const last = (await receipts(`runbook_run:${run.id}`)).at(-1);
    const events = await h.database
      .connect()
      .db.select()
      .from(telemetryEvents)
      .where(and(eq(telemetryEvents.tenantId, h.tenantA.id), eq(telemetryEvents.id, String(last?.id))));
    expect(events).toMatchObject([{ kind: "runbook_run.failed", actor: "system:step-timeout" }]);

    // The operator is too late; a second tick changes nothing.
    const complete = await api.call(operator, "POST", `/v1/runbook-runs/${run.id}/steps/check/complete`, {});
    expect(complete.status).toBe(409);
    expect((await tickAt(deadline + 60_000))["step-timeouts"]).toEqual({ ok: true, result: { timedOut: 0 } });
  });

  it("a step waiting for its approval past the timeout fails the run and cancels the approval", async () => {
    const run = await launch({
      id: "approve-me",
      title: "Needs a yes",
      kind: "manual",
      requires_approval: true,
      timeout: "90s",
    });
    const [step] = await steps(run.id);
    expect(step).toMatchObject({ status: "awaiting_approval", timeoutSeconds: 90 });
    expect((await tickAt(100_000))["step-timeouts"]).toMatchObject({ result: { timedOut: 1 } });
    expect(await api.ok(operator, "GET", `/v1/runbook-runs/${run.id}`)).toMatchObject({ status: "failed" });
    const approval = await api.ok(operator, "GET", `/v1/approvals/${step?.approvalId}`);
    expect(approval).toMatchObject({ status: "cancelled" });
    expect((await receipts(`approval:${step?.approvalId}`)).map((r) => [r.kind, r.actor])).toEqual([
      ["approval.requested", expect.stringMatching(/^api_key:/)],
      ["approval.cancelled", "system:step-timeout"],
    ]);
    const approver = (await issueKey(h, "approver")).key;
    expect((await api.call(approver, "POST", `/v1/approvals/${step?.approvalId}/approve`)).status).toBe(409);
  });

  it("a command step past its timeout fails the run; the dispatched command's late outcome does not revive it", async () => {
    const run = await launch({
      id: "flush",
      title: "Flush",
      kind: "command",
      command: "cache.flush",
      timeout: 60,
    });
    const [step] = await steps(run.id);
    expect(step).toMatchObject({ status: "running", timeoutSeconds: 60 });
    expect((await tickAt(61_000))["step-timeouts"]).toMatchObject({ result: { timedOut: 1 } });
    // No executor: the command was dispatched for a recorded outcome, and it arrives late.
    const command = await api.ok(operator, "GET", `/v1/commands/${step?.commandId}`);
    expect(command).toMatchObject({ status: "dispatched", dispatchMode: "manual" });
    await api.ok(operator, "POST", `/v1/commands/${command.id}/outcome`, { status: "succeeded" });
    const after = await api.ok(operator, "GET", `/v1/runbook-runs/${run.id}`);
    expect(after).toMatchObject({ status: "failed" });
    expect((after.steps as Body[]).map((s) => s.status)).toEqual(["failed", "pending"]);
  });

  it("a step without a timeout waits as long as it takes", async () => {
    const run = await launch({ id: "patient", title: "Patient", kind: "manual" });
    expect((await steps(run.id))[0]).toMatchObject({ timeoutSeconds: null, deadlineAt: null });
    expect((await tickAt(7 * 24 * 3600 * 1000))["step-timeouts"]).toMatchObject({ result: { timedOut: 0 } });
    expect((await api.ok(operator, "GET", `/v1/runbook-runs/${run.id}`)).status).toBe("waiting");
  });
});
