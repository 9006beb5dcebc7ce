/**
 * A suspended tenant's background work stops: its queued command is not delivered to its
 * executor and its other jobs wait, parked; another tenant's work goes on. Reactivated, the
 * tenant's parked work resumes (the `resume-parked-jobs` cron task) and runs once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumer } from "../../functions/jobs/consumer";
import { runCron } from "../../functions/jobs/cron";
import { parkedJobsOf } from "../../shared/jobs/parked-jobs-repo";
import { setTenantStatus } from "../../shared/tenants/tenant-status";
import { startExecutor } from "../support/executor-server";
import { createHarness, type Harness } from "../support/harness";
import { type Body, issueKey, jwksOf, opsClient } from "./ops-support";

let h: Harness;
let executor: Awaited<ReturnType<typeof startExecutor>>;
let api: ReturnType<typeof opsClient>;

beforeAll(async () => {
  // The queue delivers only once the test starts it: the jobs below are queued first.
  h = await createHarness({ OUTBOUND_ALLOW_LOOPBACK: "true" }, { startQueue: false });
  api = opsClient(h);
  executor = await startExecutor(jwksOf(h));
}, 60_000);
afterAll(async () => {
  await executor.close();
  await h.close();
});

const selfTest = async (key: string) =>
  (await api.ok(key, "POST", "/v1/self-tests")) as Body & { id: string };
const statusOf = async (key: string, path: string) => ((await api.ok(key, "GET", path)) as Body).status;

describe("a suspended tenant's background work", () => {
  it("is parked, not run, while suspended, and resumes once after reactivation", async () => {
    await api.ok(h.tenantA.apiKey, "PUT", "/v1/executor", {
      url: executor.url,
      timeoutMs: 2000,
      maxAttempts: 2,
      backoffSeconds: 0,
    });
    const operator = (await issueKey(h, "operator")).key;
    const command = await api.ok(operator, "POST", "/v1/commands", {
      name: "service.restart",
      target: "svc:checkout-api",
    });
    expect(command).toMatchObject({ status: "dispatched", dispatchMode: "webhook" });
    const testA = await selfTest(h.tenantA.apiKey);
    const testB = await selfTest(h.tenantB.apiKey);

    await setTenantStatus({
      ctx: h.ctx(),
      input: { slug: h.tenantA.slug, status: "suspended", reason: "test" },
    });
    h.platform.queue.start(createConsumer(h.platform));
    await h.platform.queue.drain();

    expect(executor.calls).toHaveLength(0);
    expect((await parkedJobsOf(h.ctx().db, h.tenantA.id)).map((j) => j.type).sort()).toEqual([
      "command.dispatch",
      "self-test.run",
    ]);
    expect(await statusOf(h.tenantB.apiKey, `/v1/self-tests/${testB.id}`)).toBe("passed"); // B is not held up

    // While suspended, the cron leaves them parked.
    await runCron(h.platform, "*/5 * * * *");
    await h.platform.queue.drain();
    expect(executor.calls).toHaveLength(0);
    expect(await parkedJobsOf(h.ctx().db, h.tenantA.id)).toHaveLength(2);

    await setTenantStatus({ ctx: h.ctx(), input: { slug: h.tenantA.slug, status: "active" } });
    await runCron(h.platform, "*/5 * * * *");
    await h.platform.queue.drain();
    expect(executor.calls).toHaveLength(1);
    expect(await statusOf(operator, `/v1/commands/${command.id}`)).toBe("succeeded");
    expect(await statusOf(h.tenantA.apiKey, `/v1/self-tests/${testA.id}`)).toBe("passed");
    expect(await parkedJobsOf(h.ctx().db, h.tenantA.id)).toHaveLength(0);

    // Nothing runs twice: another cron run resumes nothing more.
    await runCron(h.platform, "*/5 * * * *");
    await h.platform.queue.drain();
    expect(executor.calls).toHaveLength(1);
  });
});
