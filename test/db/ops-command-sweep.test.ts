/**
 * The `command-sweep` cron task: a webhook command committed `dispatched` whose first queue
 * message was never sent (the worker died between the commit and the send) is delivered once
 * the grace period has passed; one still inside the grace period is left to its message, and
 * a message sent twice never reaches the executor twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantCtx } from "../../shared/context/context";
import { runScheduled } from "../../shared/cron/scheduled";
import { requestCommand } from "../../shared/ops/commands/commands";
import { sweepGraceSeconds } from "../../shared/ops/commands/sweep";
import { fixedClock } from "../../shared/platform/clock";
import { startExecutor } from "../support/executor-server";
import { createHarness, type Harness } from "../support/harness";
import { type Body, issueKey, jwksOf, launchWithWorkerLost, opsClient } from "./ops-support";

let h: Harness;
let executor: Awaited<ReturnType<typeof startExecutor>>;
let api: ReturnType<typeof opsClient>;
let operator: { id: string; key: string };
beforeAll(async () => {
  h = await createHarness({ OUTBOUND_ALLOW_LOOPBACK: "true" }); // a real executor / IdP on 127.0.0.1
  api = opsClient(h);
  executor = await startExecutor(jwksOf(h));
  operator = await issueKey(h, "operator");
  await api.ok(h.tenantA.apiKey, "PUT", "/v1/executor", {
    url: executor.url,
    timeoutMs: 2000,
    maxAttempts: 3,
    backoffSeconds: 0,
  });
}, 60_000);
afterAll(async () => {
  await executor.close();
  await h.close();
});

/** Requests a command as tenant A's operator, at `at`, in a worker that dies right after the commit. */
async function requestThenCrash(target: string, at: Date): Promise<string> {
  const ctx: TenantCtx = {
    ...h.ctx(),
    clock: fixedClock(at),
    queue: {
      send: async () => {
        throw new Error("worker lost before the queue send");
      },
    },
    tenant: { id: h.tenantA.id, slug: h.tenantA.slug, name: "acme Inc." },
    actor: { type: "api_key", id: operator.id, role: "operator" },
  };
  await expect(
    requestCommand({ ctx, input: { name: "service.restart", target, params: {} } }),
  ).rejects.toThrow("worker lost");
  const listed = (await api.ok(operator.key, "GET", "/v1/commands?limit=50")).items as Body[];
  const command = listed.find((c) => c.target === target);
  expect(command).toMatchObject({ status: "dispatched", dispatchMode: "webhook", attemptCount: 0 });
  return String(command?.id);
}

const callsFor = (id: string) => executor.calls.filter((c) => c.payload?.commandId === id);

describe("command sweep", () => {
  it("delivers a command stuck in dispatched past the grace period, once, and leaves a fresh one alone", async () => {
    const now = Date.now();
    const stuck = await requestThenCrash("svc:stuck", new Date(now - (sweepGraceSeconds + 60) * 1000));
    const fresh = await requestThenCrash("svc:fresh", new Date(now - 10_000));
    await h.platform.queue.drain();
    expect(callsFor(stuck)).toHaveLength(0); // nothing else would ever deliver it

    const first = await runScheduled({ ctx: h.ctx(), cron: "*/5 * * * *" });
    expect(first["command-sweep"]).toEqual({ ok: true, result: { resent: 1, released: 0 } });
    // The original message, only late after all, arrives as well: the attempt is taken once.
    const late = {
      v: 1,
      type: "command.dispatch",
      tenantId: h.tenantA.id,
      commandId: stuck,
      attempt: 1,
    } as const;
    await h.platform.queue.send(late);
    await h.platform.queue.send(late);
    await h.platform.queue.drain();

    const delivered = await api.ok(operator.key, "GET", `/v1/commands/${stuck}`);
    expect(delivered).toMatchObject({ status: "succeeded", attemptCount: 1 });
    expect((delivered.attempts as Body[]).map((a) => [a.attempt, a.outcome])).toEqual([[1, "succeeded"]]);
    expect(callsFor(stuck)).toHaveLength(1);
    expect(callsFor(stuck)[0]).toMatchObject({ verified: true, payload: { attempt: 1 } });

    const waiting = await api.ok(operator.key, "GET", `/v1/commands/${fresh}`);
    expect(waiting).toMatchObject({ status: "dispatched", attemptCount: 0 });
    expect(callsFor(fresh)).toHaveLength(0);

    // Delivered commands are not swept again.
    const third = await runScheduled({ ctx: h.ctx(), cron: "*/5 * * * *" });
    expect(third["command-sweep"]).toEqual({ ok: true, result: { resent: 0, released: 0 } });
  });

  it("once its grace period has passed, the fresh one is delivered too", async () => {
    const later = new Date(Date.now() + sweepGraceSeconds * 1000);
    const swept = await runScheduled({ ctx: { ...h.ctx(), clock: fixedClock(later) }, cron: "*/5 * * * *" });
    expect(swept["command-sweep"]).toEqual({ ok: true, result: { resent: 1, released: 0 } });
    await h.platform.queue.drain();
    const listed = (await api.ok(operator.key, "GET", "/v1/commands?limit=50")).items as Body[];
    expect(listed.find((c) => c.target === "svc:fresh")).toMatchObject({
      status: "succeeded",
      attemptCount: 1,
    });
  });

  it("releases a runbook step's command left requested by a worker lost after the launch", async () => {
    const runbook = await api.ok(h.tenantA.apiKey, "POST", "/v1/runbooks", {
      id: "sweep-release",
      title: "Restart",
      version: 1,
      steps: [{ id: "restart", title: "Restart", kind: "command", command: "service.restart" }],
    });
    const launchedAt = new Date(Date.now() - (sweepGraceSeconds + 60) * 1000);
    const { runId, commandId } = await launchWithWorkerLost(h, operator, runbook.id, fixedClock(launchedAt));

    const swept = await runScheduled({ ctx: h.ctx(), cron: "*/5 * * * *" });
    expect(swept["command-sweep"]).toEqual({ ok: true, result: { resent: 0, released: 1 } });
    await h.platform.queue.drain();
    expect(await api.ok(operator.key, "GET", `/v1/commands/${commandId}`)).toMatchObject({
      status: "succeeded",
      attemptCount: 1,
    });
    expect(callsFor(commandId)).toHaveLength(1);
    expect(await api.ok(operator.key, "GET", `/v1/runbook-runs/${runId}`)).toMatchObject({
      status: "succeeded",
    });
    const again = await runScheduled({ ctx: h.ctx(), cron: "*/5 * * * *" });
    expect(again["command-sweep"]).toEqual({ ok: true, result: { resent: 0, released: 0 } });
  });
});
