import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCron } from "../../functions/jobs/cron";
import { listCronRuns } from "../../shared/cron/cron-repo";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("scheduled work", () => {
  it("records each run of each task", async () => {
    const first = await runCron(h.platform, "*/5 * * * *");
    expect(first.heartbeat).toMatchObject({ ok: true, result: { runtime: "node" } });
    await runCron(h.platform, "*/5 * * * *");
    const heartbeat = (await listCronRuns(h.database.connect().db)).find((run) => run.task === "heartbeat");
    expect(heartbeat).toMatchObject({ task: "heartbeat", runs: 2 });
    expect(heartbeat?.lastFinishedAt).toBeInstanceOf(Date);
  });
});
