/**
 * Command dispatch in workerd: a command requested through `fetch` is delivered by the `queue`
 * handler (the real Queues binding, Postgres through the Neon driver) to a partner executor,
 * a real HTTP server on loopback that verifies the JWS against the worker's JWKS. A 5xx
 * executor is retried through the queue and the command fails with every attempt recorded.
 * The outbound guard holds in workerd too: private addresses are never reached, loopback only
 * with OUTBOUND_ALLOW_LOOPBACK.
 */
import type { JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../shared/ids/ids";
import { upsertExecutor } from "../../shared/ops/executors/executors-repo";
import type { PgDatabase } from "../../shared/platform/database-pg";
import { startExecutor } from "../support/executor-server";
import { eventually, startWorker, type TestWorker } from "./miniflare";
import { startStack, type WorkerStack } from "./stack";

const BUCKET = "switchboard-commands";
const url = (path: string) => `http://worker.test${path}`;

let stack: WorkerStack;
let pg: PgDatabase;
let worker: TestWorker;
let executor: Awaited<ReturnType<typeof startExecutor>>;
let operator: string;
let admin: string;

type Body = Record<string, unknown> & { id: string; status: string };
async function call(
  key: string,
  path: string,
  init: RequestInit = {},
  on: TestWorker = worker,
): Promise<{ status: number; body: Body }> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${key}`);
  if (init.body) headers.set("content-type", "application/json");
  const res = await on.mf.dispatchFetch(url(path), { ...init, headers } as never);
  return { status: res.status, body: (await res.json()) as Body };
}

beforeAll(async () => {
  stack = await startStack({
    bucket: BUCKET,
    tenant: { slug: "commands-wk", name: "Commands in workerd" },
    // The executor below runs on 127.0.0.1: loopback is refused unless this development setting is on.
    bindings: { OUTBOUND_ALLOW_LOOPBACK: "true" },
  });
  ({ pg, worker } = stack);
  admin = stack.tenant.apiKey;
  const jwks = async () =>
    (await (await worker.mf.dispatchFetch(url("/.well-known/jwks.json"))).json()) as JSONWebKeySet;
  executor = await startExecutor(jwks);
  const configured = await call(admin, "/v1/executor", {
    method: "PUT",
    body: JSON.stringify({ url: executor.url, timeoutMs: 2000, maxAttempts: 3, backoffSeconds: 0 }),
  });
  expect(configured.status, JSON.stringify(configured.body)).toBe(200);
  const key = await call(admin, "/v1/api-keys", {
    method: "POST",
    body: JSON.stringify({ name: "operator", role: "operator" }),
  });
  operator = String(key.body.secret);
});

afterAll(async () => {
  await executor?.close();
  await stack?.close();
});

const finished = (id: string, on: TestWorker = worker) =>
  eventually(
    async () => {
      const { body } = await call(operator, `/v1/commands/${id}`, {}, on);
      return ["succeeded", "failed", "cancelled"].includes(body.status) ? body : undefined;
    },
    { timeoutMs: 40_000 },
  );

describe("command dispatch in workerd", () => {
  it("delivers a signed command through the Queues binding; the executor verifies it and the command succeeds", async () => {
    executor.script(() => ({ status: 200, body: { status: "succeeded", output: "restarted" } }));
    const requested = await call(operator, "/v1/commands", {
      method: "POST",
      body: JSON.stringify({
        name: "service.restart",
        target: "svc:checkout-api",
        params: { strategy: "rolling" },
      }),
    });
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    expect(requested.body).toMatchObject({ status: "dispatched", dispatchMode: "webhook" });
    const done = await finished(requested.body.id);
    expect(done).toMatchObject({ status: "succeeded", attemptCount: 1, outcome: { statusCode: 200 } });
    expect((done.attempts as Body[]).map((a) => [a.attempt, a.outcome, a.statusCode])).toEqual([
      [1, "succeeded", 200],
    ]);
    const calls = executor.calls.filter((c) => c.payload?.commandId === requested.body.id);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      verified: true,
      typ: "switchboard-command+jws",
      payload: {
        name: "service.restart",
        target: "svc:checkout-api",
        params: { strategy: "rolling" },
        attempt: 1,
      },
    });
    expect(calls[0]?.headers["content-type"]).toBe("application/jose");
  });

  it("a 5xx executor is retried through the queue; the command fails after its attempts, each recorded", async () => {
    executor.script(() => ({ status: 503 }));
    const requested = await call(operator, "/v1/commands", {
      method: "POST",
      body: JSON.stringify({ name: "service.restart", target: "svc:search" }),
    });
    expect(requested.status).toBe(201);
    const failed = await finished(requested.body.id);
    expect(failed).toMatchObject({ status: "failed", attemptCount: 3 });
    expect(String(failed.error)).toContain("503");
    expect((failed.attempts as Body[]).map((a) => [a.attempt, a.outcome, a.statusCode])).toEqual([
      [1, "retry", 503],
      [2, "retry", 503],
      [3, "failed", 503],
    ]);
    expect(executor.calls.filter((c) => c.payload?.commandId === requested.body.id)).toHaveLength(3);
    const { rows } = await pg.pool.query("select 1 from dead_letters where body->>'commandId' = $1", [
      requested.body.id,
    ]);
    expect(rows).toEqual([]);
  });
});

describe("outbound guard in workerd", () => {
  const restart = JSON.stringify({ name: "service.restart", target: "svc:guarded" });
  const save = (body: Record<string, unknown>, on?: TestWorker) =>
    call(admin, "/v1/executor", { method: "PUT", body: JSON.stringify(body) }, on);

  it("an executor at a private, metadata or unique-local address is refused when saved, even with loopback allowed", async () => {
    for (const target of [
      "https://10.0.0.5/commands",
      "https://169.254.169.254/latest/meta-data/",
      "https://[fd00::5]/commands",
      "https://100.64.0.9/commands",
    ]) {
      expect((await save({ url: target })).status, target).toBe(400);
    }
  });

  it("without OUTBOUND_ALLOW_LOOPBACK (production) a loopback executor is refused when saved and gets no delivery", async () => {
    const strict = await startWorker({ ...stack.bindings, OUTBOUND_ALLOW_LOOPBACK: "false" });
    try {
      const refused = await save({ url: executor.url }, strict);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain("must be an https:// URL");
      // The executor row saved by the dev-mode worker is still there: deliveries check again.
      const requested = await call(operator, "/v1/commands", { method: "POST", body: restart }, strict);
      expect(requested.status, JSON.stringify(requested.body)).toBe(201);
      const failed = await finished(requested.body.id, strict);
      expect(failed).toMatchObject({ status: "failed", attemptCount: 1 });
      expect(String(failed.error)).toContain("refused");
      expect(executor.calls.filter((c) => c.payload?.commandId === requested.body.id)).toHaveLength(0);
    } finally {
      await strict.dispose();
    }
  });

  it("a stored executor at a private address gets no request: the command fails at once, refused", async () => {
    await upsertExecutor(pg.connect().db, {
      id: newId("exe"),
      tenantId: stack.tenant.id,
      url: "https://10.0.0.5/commands",
      timeoutMs: 2000,
      maxAttempts: 3,
      backoffSeconds: 0,
    });
    const requested = await call(operator, "/v1/commands", { method: "POST", body: restart });
    expect(requested.status).toBe(201);
    const failed = await finished(requested.body.id);
    expect(failed).toMatchObject({ status: "failed", attemptCount: 1 });
    expect(String(failed.error)).toContain("10.0.0.5 is a private address");
  });
});
