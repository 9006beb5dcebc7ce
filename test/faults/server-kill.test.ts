/**
 * The built server killed outright (SIGKILL) in the middle of a commit, then started again on
 * the same database and store: the jobs it held are taken again once their lease runs out,
 * each chunk applies once, and the import completes with exactly the planned rows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  commit,
  dryRun,
  expectReceiptsVerify,
  importView,
  incidentsCsv,
  settled,
  storedCounts,
} from "../support/fault-imports";
import { type FaultStack, startFaultStack } from "../support/fault-stack";

let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack();
});
afterAll(async () => {
  await stack?.close();
});

const rows = 40_000;

describe("the built server killed mid-commit", () => {
  it("completes the import after a restart with exactly the planned rows", async () => {
    const planned = await dryRun(stack, incidentsCsv(rows, "K"));
    expect(planned.status, JSON.stringify(planned.body)).toBe(201);
    const id = await commit(stack, planned.body.id ?? "");
    // Kill it once some chunks are in and some are not.
    for (;;) {
      const view = await importView(stack, id);
      const done = view?.progress.chunksDone ?? 0;
      if (done > 0 && view && done < view.progress.chunksTotal) break;
      expect(view?.status).toBe("applying");
      await new Promise((r) => setTimeout(r, 10));
    }
    await stack.killAndRestart();
    const view = await settled(stack, id);
    expect(view.status, JSON.stringify(view)).toBe("completed");
    expect(view.progress).toMatchObject({ rowsApplied: rows, rowsSkipped: 0 });
    expect(await storedCounts(stack, "K")).toEqual({ rows, keys: rows });
    await expectReceiptsVerify(stack);
  });
});
