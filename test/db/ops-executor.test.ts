/**
 * An executor that answers 5xx or times out leaves the command failed after its retries,
 * every attempt recorded (status code or error, duration), nothing lost; with no executor
 * an operator records the outcome.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deadLetters } from "../../shared/db/schema";
import { startExecutor } from "../support/executor-server";
import { createHarness, type Harness } from "../support/harness";
import { type Body, issueKey, jwksOf, opsClient } from "./ops-support";

let h: Harness;
let executor: Awaited<ReturnType<typeof startExecutor>>;
let api: ReturnType<typeof opsClient>;
let operator: string;
beforeAll(async () => {
  h = await createHarness({ OUTBOUND_ALLOW_LOOPBACK: "true" }); // a real executor / IdP on 127.0.0.1
  api = opsClient(h);
  executor = await startExecutor(jwksOf(h));
  operator = (await issueKey(h, "operator")).key;
}, 60_000);
afterAll(async () => {
  await executor.close();
  await h.close();
});

const restart = { name: "service.restart", target: "svc:checkout-api" };

describe("executor delivery", () => {
  it("5xx on every attempt → failed after maxAttempts, each attempt kept", async () => {
    await api.ok(h.tenantA.apiKey, "PUT", "/v1/executor", {
      url: executor.url,
      timeoutMs: 2000,
      maxAttempts: 3,
      backoffSeconds: 0,
    });
    executor.script(() => ({ status: 503 }));
    const command = await api.ok(operator, "POST", "/v1/commands", restart);
    expect(command).toMatchObject({ status: "dispatched", dispatchMode: "webhook" });
    await h.platform.queue.drain();
    const failed = await api.ok(operator, "GET", `/v1/commands/${command.id}`);
    expect(failed).toMatchObject({ status: "failed", attemptCount: 3 });
    expect(String(failed.error)).toContain("503");
    const attempts = failed.attempts as Body[];
    expect(attempts.map((a) => [a.attempt, a.outcome, a.statusCode])).toEqual([
      [1, "retry", 503],
      [2, "retry", 503],
      [3, "failed", 503],
    ]);
    for (const a of attempts) expect(a.durationMs).toBeGreaterThanOrEqual(0);
    const receipts = (await api.ok(operator, "GET", `/v1/timeline?subject=command:${command.id}`))
      .items as Body[];
    expect(receipts.map((r) => r.kind).reverse()).toEqual([
      "command.requested",
      "command.dispatched",
      "command.failed",
    ]);
    expect(await h.database.connect().db.select().from(deadLetters)).toEqual([]);
  });

  it("a hung executor times out (AbortSignal.timeout) and fails after its retries", async () => {
    await api.ok(h.tenantA.apiKey, "PUT", "/v1/executor", {
      url: executor.url,
      timeoutMs: 200,
      maxAttempts: 2,
      backoffSeconds: 0,
    });
    executor.script(() => "hang");
    const command = await api.ok(operator, "POST", "/v1/commands", restart);
    await h.platform.queue.drain();
    const failed = await api.ok(operator, "GET", `/v1/commands/${command.id}`);
    expect(failed).toMatchObject({ status: "failed", attemptCount: 2 });
    const attempts = failed.attempts as Body[];
    expect(attempts.map((a) => [a.outcome, a.statusCode, a.error])).toEqual([
      ["retry", null, "timed out after 200 ms"],
      ["failed", null, "timed out after 200 ms"],
    ]);
  });

  it("a 5xx then a 200 succeeds on the retry", async () => {
    await api.ok(h.tenantA.apiKey, "PUT", "/v1/executor", {
      url: executor.url,
      timeoutMs: 2000,
      maxAttempts: 3,
      backoffSeconds: 0,
    });
    let n = 0;
    executor.script(() =>
      ++n === 1 ? { status: 502 } : { status: 200, body: { status: "succeeded", output: "ok" } },
    );
    const command = await api.ok(operator, "POST", "/v1/commands", restart);
    await h.platform.queue.drain();
    const done = await api.ok(operator, "GET", `/v1/commands/${command.id}`);
    expect(done).toMatchObject({ status: "succeeded", attemptCount: 2 });
  });

  it("a non-https executor URL is refused", async () => {
    const res = await api.call(h.tenantA.apiKey, "PUT", "/v1/executor", {
      url: "http://executor.partner.test/x",
    });
    expect(res.status).toBe(400);
  });

  it("without an executor the command waits for an operator's recorded outcome", async () => {
    await api.ok(h.tenantA.apiKey, "DELETE", "/v1/executor");
    const command = await api.ok(operator, "POST", "/v1/commands", restart);
    expect(command).toMatchObject({ status: "dispatched", dispatchMode: "manual" });
    const done = await api.ok(operator, "POST", `/v1/commands/${command.id}/outcome`, {
      status: "succeeded",
      detail: "restarted by hand",
    });
    expect(done).toMatchObject({ status: "succeeded" });
    expect(
      (await api.call(operator, "POST", `/v1/commands/${command.id}/outcome`, { status: "failed" })).status,
    ).toBe(409);
  });
});
