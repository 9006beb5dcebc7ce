/**
 * The built server with its S3 server cut through a proxy: in the middle of a commit (the
 * chunk's rows stream from the store into COPY) and in the middle of a dry run (plan objects
 * being written). The process stays up; the commit's chunk is retried and completes exactly;
 * the dry run answers 503 and leaves no plan, and planning again once the store is back works.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chunkRetries,
  commit,
  dryRun,
  dryRunUntilAnswered,
  expectReceiptsVerify,
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

describe("an object store outage on the built server", () => {
  it("cut while a commit streams rows from the store: the chunk is retried and the import completes exactly", async () => {
    const planned = await dryRun(stack, incidentsCsv(rows, "S"));
    expect(planned.status, JSON.stringify(planned.body)).toBe(201);
    const id = await commit(stack, planned.body.id ?? "");
    await whenRunning(stack, "copy incidents%");
    stack.s3.sever();
    await pause(1500);
    expect(stack.server.alive(), stack.server.output()).toBe(true);
    const ready = await stack.api("/readyz");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ checks: { database: "ok", objectStore: "failed" } });
    stack.s3.restore();
    const view = await settled(stack, id);
    expect(view.status, JSON.stringify(view)).toBe("completed");
    expect(view.progress).toMatchObject({ rowsApplied: rows, rowsSkipped: 0 });
    expect(await storedCounts(stack, "S")).toEqual({ rows, keys: rows });
    expect(await chunkRetries(stack, id)).toBeGreaterThan(0);
    await expectReceiptsVerify(stack);
  });

  it("cut while a dry run writes its plan: 503 unavailable, no plan; the same file plans and commits once the store is back", async () => {
    const csv = incidentsCsv(rows, "S", "Store back");
    const plansBefore = await planCount();
    const startBytes = stack.s3.bytesUp;
    const answer = dryRun(stack, csv, "plan-after-store-outage");
    // The source goes up first; cut once plan objects follow it.
    const until = Date.now() + 20_000;
    while (stack.s3.bytesUp - startBytes < csv.length + 64 * 1024) {
      if (Date.now() > until) throw new Error("the dry run wrote no plan objects");
      await pause(2);
    }
    stack.s3.sever();
    const failed = await answer;
    expect(failed.status, JSON.stringify(failed.body)).toBe(503);
    expect(failed.body.code).toBe("unavailable");
    expect(Number(failed.retryAfter)).toBeGreaterThan(0);
    expect(await planCount()).toBe(plansBefore);
    stack.s3.restore();
    const planned = await dryRunUntilAnswered(stack, csv, "plan-after-store-outage");
    expect(planned.status, JSON.stringify(planned.body)).toBe(201);
    expect(planned.body.counts).toMatchObject({ update: rows, create: 0, reject: 0 });
    const view = await settled(stack, await commit(stack, planned.body.id ?? ""));
    expect(view.status, JSON.stringify(view)).toBe("completed");
    const { rows: titled } = await stack.direct.query(
      "select count(*)::int as n from incidents where key like 'S-%' and title like 'Store back%'",
    );
    expect(titled[0]?.n).toBe(rows);
    expect(await storedCounts(stack, "S")).toEqual({ rows, keys: rows });
    await expectReceiptsVerify(stack);
    expect(stack.server.alive(), stack.server.output()).toBe(true);
  });
});
