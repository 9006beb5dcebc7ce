import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobs } from "../../shared/db/schema";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("deployment self-test", () => {
  it("goes through the database, the queue and the consumer and back", async () => {
    const res = await h.request("/v1/self-tests", { method: "POST", key: h.tenantA.apiKey });
    expect(res.status).toBe(202);
    const queued = (await res.json()) as { id: string; status: string };
    expect(queued.status).toBe("queued");
    await h.platform.queue.drain();
    const done = await (await h.request(`/v1/self-tests/${queued.id}`, { key: h.tenantA.apiKey })).json();
    expect(done).toMatchObject({ id: queued.id, status: "passed", consumerRuntime: "node" });
  });

  it("a redelivered message changes nothing", async () => {
    const { id } = (await (
      await h.request("/v1/self-tests", { method: "POST", key: h.tenantA.apiKey })
    ).json()) as { id: string };
    await h.platform.queue.drain();
    const first = (await (await h.request(`/v1/self-tests/${id}`, { key: h.tenantA.apiKey })).json()) as {
      completedAt: string;
    };
    const { db } = h.database.connect();
    await db
      .update(jobs)
      .set({ status: "pending", runAfter: new Date(0) })
      .where(eq(jobs.type, "self-test.run"));
    await h.platform.queue.drain();
    const second = (await (await h.request(`/v1/self-tests/${id}`, { key: h.tenantA.apiKey })).json()) as {
      completedAt: string;
    };
    expect(second.completedAt).toBe(first.completedAt);
  });

  it("is tenant-scoped: tenant B gets 404 for tenant A's self-test", async () => {
    const { id } = (await (
      await h.request("/v1/self-tests", { method: "POST", key: h.tenantA.apiKey })
    ).json()) as { id: string };
    expect((await h.request(`/v1/self-tests/${id}`, { key: h.tenantB.apiKey })).status).toBe(404);
    expect((await h.request(`/v1/self-tests/${id}`, { key: h.tenantA.apiKey })).status).toBe(200);
  });
});
