/**
 * The built server, its Postgres connections cut through a proxy at the worst moments: idle,
 * in the middle of a commit's COPY, during a dry run's state reads, under a burst of receipt
 * appends. The process stays up, requests answer 503 `unavailable` with Retry-After while the
 * database is out (never a 500, never a hang), and once it is back every import completes
 * with exact counts and the receipt log verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chunkRetries,
  commit,
  dryRun,
  dryRunUntilAnswered,
  expectReceiptsVerify,
  expectUnavailable,
  incidentsCsv,
  settled,
  storedCounts,
  whenRunning,
} from "../support/fault-imports";
import { type FaultStack, startFaultStack } from "../support/fault-stack";

let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack();
});
afterAll(async () => {
  await stack?.close();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rows = 30_000;

async function planCount(): Promise<number> {
  const { rows: counted } = await stack.direct.query("select count(*)::int as n from import_plans");
  return counted[0]?.n ?? 0;
}

describe("a database outage on the built server", () => {
  it("while the pool is idle: 503 unavailable with Retry-After, readyz failed, healthz up, no spinning; then serving again", async () => {
    expect((await stack.api("/v1/tenant")).status).toBe(200);
    stack.pg.sever();
    try {
      const refusedBefore = stack.pg.refused;
      await expectUnavailable(await stack.api("/v1/tenant"));
      await expectUnavailable(await stack.api("/v1/imports"));
      const ready = await stack.api("/readyz");
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: "not_ready", checks: { database: "failed" } });
      const health = await stack.api("/healthz");
      expect(health.status).toBe(200);
      // The queue and the cron back off: a few tries over four seconds, not a loop.
      await pause(4000);
      expect(stack.pg.refused - refusedBefore).toBeLessThan(25);
    } finally {
      stack.pg.restore();
    }
    expect((await stack.api("/v1/tenant")).status).toBe(200);
    expect((await stack.api("/readyz")).status).toBe(200);
    expect(stack.server.alive(), stack.server.output()).toBe(true);
  });

  it("cut in the middle of a commit's COPY: the chunk is retried and the import completes exactly", async () => {
    const planned = await dryRun(stack, incidentsCsv(rows, "C"));
    expect(planned.status, JSON.stringify(planned.body)).toBe(201);
    const id = await commit(stack, planned.body.id ?? "");
    await whenRunning(stack, "copy incidents%");
    stack.pg.sever();
    await pause(1500);
    expect(stack.server.alive(), stack.server.output()).toBe(true);
    stack.pg.restore();
    const view = await settled(stack, id);
    expect(view.status, JSON.stringify(view)).toBe("completed");
    expect(view.progress).toMatchObject({ rowsApplied: rows, rowsSkipped: 0 });
    expect(await storedCounts(stack, "C")).toEqual({ rows, keys: rows });
    expect(await chunkRetries(stack, id)).toBeGreaterThan(0);
    await expectReceiptsVerify(stack);
    expect(stack.server.alive(), stack.server.output()).toBe(true);
  });

  it("cut during a dry run's state reads: 503, no plan; planned again once the database is back", async () => {
    const csv = incidentsCsv(rows, "C", "Disk still full");
    const plansBefore = await planCount();
    const answer = dryRun(stack, csv, "replan-after-outage");
    await whenRunning(stack, '%from "incidents"%');
    stack.pg.sever();
    const failed = await answer;
    expect(failed.status, JSON.stringify(failed.body)).toBe(503);
    expect(failed.body.code).toBe("unavailable");
    expect(Number(failed.retryAfter)).toBeGreaterThan(0);
    expect(await planCount()).toBe(plansBefore);
    stack.pg.restore();
    // The same key again: the failed request let go of it, so the retry runs (not 409 for minutes).
    const planned = await dryRunUntilAnswered(stack, csv, "replan-after-outage");
    expect(planned.status, JSON.stringify(planned.body)).toBe(201);
    expect(planned.body.counts).toMatchObject({ update: rows, create: 0, reject: 0 });
    const view = await settled(stack, await commit(stack, planned.body.id ?? ""));
    expect(view.status, JSON.stringify(view)).toBe("completed");
    expect(view.progress.rowsApplied).toBe(rows);
    const { rows: titled } = await stack.direct.query(
      "select count(*)::int as n from incidents where key like 'C-%' and title like 'Disk still full%'",
    );
    expect(titled[0]?.n).toBe(rows);
    expect(await storedCounts(stack, "C")).toEqual({ rows, keys: rows });
    await expectReceiptsVerify(stack);
  });

  it("cut under a burst of receipt appends: every request answers (200 or 503), none hangs; the log verifies", async () => {
    const renames = Array.from({ length: 80 }, (_, i) =>
      stack.api("/v1/tenant", {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: `Demo ${i}` }),
      }),
    );
    await whenRunning(stack, "%receipt%").catch(() => {});
    stack.pg.sever();
    const answers = await Promise.all(renames);
    stack.pg.restore();
    const statuses = answers.map((r) => r.status);
    expect(
      statuses.every((s) => s === 200 || s === 503),
      statuses.join(","),
    ).toBe(true);
    expect(statuses).toContain(503);
    for (const res of answers.filter((r) => r.status === 503)) await expectUnavailable(res);
    const receiptIds = await Promise.all(
      answers
        .filter((r) => r.status === 200)
        .map(async (r) => ((await r.json()) as { receiptId: string }).receiptId),
    );
    for (const receiptId of receiptIds) {
      expect((await stack.api(`/v1/receipts/${receiptId}`)).status).toBe(200);
    }
    // After the outage the same appends go through.
    const again = await stack.api("/v1/tenant", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Demo again" }),
    });
    expect(again.status).toBe(200);
    await expectReceiptsVerify(stack);
    expect(stack.server.alive(), stack.server.output()).toBe(true);
  });
});
