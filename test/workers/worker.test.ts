/**
 * The deployable bundle in workerd: HTTP through `fetch`, a queue round trip
 * through `queue`, cron through `scheduled`, Postgres through the Neon driver
 * (via a local WebSocket proxy) and an S3-protocol store on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PgDatabase } from "../../shared/platform/database-pg";
import { DEAD_LETTER_QUEUE, eventually, QUEUE, startWorker, type TestWorker } from "./miniflare";
import { startStack, type WorkerStack } from "./stack";

const BUCKET = "switchboard-test";
const url = (path: string) => `http://worker.test${path}`;

let stack: WorkerStack;
let pg: PgDatabase;
let worker: TestWorker;
let bindings: Record<string, string>;
let apiKey: string;
let kid: string;

beforeAll(async () => {
  stack = await startStack({
    bucket: BUCKET,
    tenant: { slug: "acme", name: "Acme Inc." },
    logLevel: "debug",
  });
  ({ pg, worker, bindings } = stack);
  apiKey = stack.tenant.apiKey;
  kid = stack.signingKey.kid ?? "";
});

afterAll(() => stack?.close());

const get = (path: string, key?: string) =>
  worker.mf.dispatchFetch(url(path), { headers: key ? { authorization: `Bearer ${key}` } : {} });

async function deadLetter(marker: string) {
  const { rows } = await pg.pool.query<{ source: string; error: string; attempts: number }>(
    "select source, error, attempts from dead_letters where body->>'marker' = $1",
    [marker],
  );
  return rows[0];
}

describe("worker bundle in workerd", () => {
  it("answers /healthz from the workers runtime", async () => {
    const response = await get("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", runtime: "workers" });
  });

  it("is ready: Postgres through the Neon driver, the object store through S3", async () => {
    const response = await get("/readyz");
    expect(await response.json()).toEqual({
      status: "ready",
      checks: { database: "ok", objectStore: "ok" },
    });
    expect(response.status).toBe(200);
  });

  it("publishes the signing key in the JWKS", async () => {
    const response = await get("/.well-known/jwks.json");
    const body = (await response.json()) as { keys: { kid: string; d?: string }[] };
    expect(body.keys.map((k) => k.kid)).toEqual([kid]);
    expect(body.keys[0]).not.toHaveProperty("d");
  });

  it("reads the tenant from Postgres with an API key", async () => {
    const response = await get("/v1/tenant", apiKey);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { tenant: { slug: string } };
    expect(body.tenant.slug).toBe("acme");
    expect((await get("/v1/tenant")).status).toBe(401);
  });

  it("completes a self-test: fetch sends a queue message, queue consumes it and writes Postgres", async () => {
    const created = await worker.mf.dispatchFetch(url("/v1/self-tests"), {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    const passed = await eventually(async () => {
      const body = (await (await get(`/v1/self-tests/${id}`, apiKey)).json()) as Record<string, unknown>;
      return body.status === "passed" ? body : undefined;
    });
    expect(passed).toMatchObject({ id, status: "passed", consumerRuntime: "workers" });
  });

  it("runs the cron: scheduled records a heartbeat in Postgres", async () => {
    const result = await (await worker.mf.getWorker()).scheduled({ cron: "*/5 * * * *" });
    expect(result.outcome).toBe("ok");
    const row = await eventually(async () => {
      const { rows } = await pg.pool.query<{ runs: number; last_result: { ok: boolean } | null }>(
        "select runs, last_result from cron_runs where task = 'heartbeat'",
      );
      return rows[0]?.last_result ? rows[0] : undefined;
    });
    expect(row.runs).toBeGreaterThanOrEqual(1);
    expect(row.last_result).toMatchObject({ ok: true, result: { runtime: "workers" } });
  });

  it("parks a message the consumer cannot parse in dead_letters, without retrying it", async () => {
    const marker = `bad-${Date.now()}`;
    await (await worker.mf.getQueueProducer("JOBS")).send({ v: 99, type: "no.such.job", marker });
    const letter = await eventually(() => deadLetter(marker));
    expect(letter).toMatchObject({ source: `queue:${QUEUE}`, attempts: 1 });
    expect(letter.error).toContain("unrecognised message");
  });

  it("records what reaches the dead-letter queue", async () => {
    const marker = `dlq-${Date.now()}`;
    await (await worker.mf.getQueueProducer("JOBS_DLQ")).send({ v: 1, type: "self-test.run", marker });
    const letter = await eventually(() => deadLetter(marker));
    expect(letter).toMatchObject({ source: `queue:${DEAD_LETTER_QUEUE}` });
    expect(letter.error).toContain("retries exhausted");
  });

  it("answers a problem naming the setting when SIGNING_KEYS is missing, and logs it", async () => {
    const { SIGNING_KEYS: _omitted, ...rest } = bindings;
    const broken = await startWorker(rest);
    try {
      const response = await broken.mf.dispatchFetch(url("/healthz"));
      expect(response.status).toBe(500);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const problem = (await response.json()) as { detail: string; code: string; settings: string[] };
      expect(problem.detail).toContain("SIGNING_KEYS");
      expect(problem.settings).toEqual(["SIGNING_KEYS"]);
      const logged = await eventually(async () =>
        broken.logs.find((line) => line.msg === "invalid configuration"),
      );
      expect(logged).toMatchObject({ level: "error", settings: ["SIGNING_KEYS"] });

      // Cron and queue fail loudly too (the runtime retries them), with the same log line.
      const cron = await (await broken.mf.getWorker()).scheduled({ cron: "*/5 * * * *" });
      expect(cron.outcome).toBe("exception");
      await eventually(async () => broken.logs.find((line) => line.cron && line.settings));
    } finally {
      await broken.dispose();
    }
  });
});
