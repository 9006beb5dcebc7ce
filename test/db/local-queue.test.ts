import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { deadLetters, jobs } from "../../shared/db/schema";
import { recordDeadLetter } from "../../shared/jobs/dead-letter-repo";
import type { JobHandler } from "../../shared/jobs/messages";
import { createLogger } from "../../shared/logging/logger";
import { fixedClock } from "../../shared/platform/clock";
import { createLocalQueue } from "../../shared/platform/queue-local";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const logger = createLogger({ sink: () => {} });
const message = (n: number) => ({
  v: 1 as const,
  type: "self-test.run" as const,
  tenantId: "ten_x",
  selfTestId: `st_${n}`,
});
let database: TestDatabase;

afterEach(() => database?.shutdown());

describe("in-process queue with job state in Postgres", () => {
  it("resumes jobs left pending by a previous process", async () => {
    database = await createTestDatabase();
    const clock = fixedClock("2026-01-01T00:00:00Z");
    const before = createLocalQueue({ database, clock, logger });
    for (let i = 0; i < 3; i++) await before.send(message(i)); // never started: the process "died"
    await before.stop();

    const seen: string[] = [];
    const after = createLocalQueue({ database, clock, logger });
    after.start(async (body) => {
      seen.push((body as { selfTestId: string }).selfTestId);
      return { kind: "ack" };
    });
    await after.drain();
    await after.stop();
    expect(seen.sort()).toEqual(["st_0", "st_1", "st_2"]);
    const rows = await database.connect().db.select().from(jobs);
    expect(rows.every((r) => r.status === "done")).toBe(true);
  });

  it("delivers jobs sent one after another side by side, at most four at once, each once", async () => {
    database = await createTestDatabase();
    const clock = fixedClock("2026-01-01T00:00:00Z");
    const queue = createLocalQueue({ database, clock, logger });
    let inFlight = 0;
    let most = 0;
    const seen: string[] = [];
    queue.start(async (body) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen.push((body as { selfTestId: string }).selfTestId);
      inFlight -= 1;
      return { kind: "ack" };
    });
    for (let i = 0; i < 10; i++) await queue.send(message(i));
    await queue.drain();
    await queue.stop();
    expect(seen.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `st_${i}`).sort());
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
  });

  it("delivers again a job whose lease expired mid-work (consumer killed)", async () => {
    database = await createTestDatabase();
    const clock = fixedClock("2026-01-01T00:00:00Z");
    const queue = createLocalQueue({ database, clock, logger, leaseSeconds: 30 });
    await queue.send(message(1));
    const { db } = database.connect();
    // what a crash leaves behind: claimed, attempt counted, lease still running
    await db
      .update(jobs)
      .set({ status: "running", attempts: 1, leaseUntil: new Date("2026-01-01T00:00:30Z") });
    const deliveries: number[] = [];
    queue.start(async (_body, delivery) => {
      deliveries.push(delivery.attempts);
      return { kind: "ack" };
    });
    await queue.drain();
    expect(deliveries).toEqual([]); // lease not yet over: nobody else takes it
    clock.advance(31_000);
    await queue.drain();
    expect(deliveries).toEqual([2]);
    await queue.stop();
  });

  it("retries with backoff, then parks the job as a dead letter with its error", async () => {
    database = await createTestDatabase();
    const clock = fixedClock("2026-01-01T00:00:00Z");
    const { db } = database.connect();
    const queue = createLocalQueue({
      database,
      clock,
      logger,
      onDead: (job) => recordDeadLetter(db, { source: "local-queue", ...job, at: clock.now() }),
    });
    const failing: JobHandler = async (_body, delivery) => ({
      kind: "retry",
      delaySeconds: 2 ** delivery.attempts,
      error: `executor down (attempt ${delivery.attempts})`,
    });
    queue.start(failing);
    await queue.send(message(7));
    for (let i = 0; i < 6; i++) {
      await queue.drain();
      clock.advance(60_000);
    }
    await queue.stop();
    const [job] = await db.select().from(jobs);
    expect(job).toMatchObject({ status: "dead", attempts: 5, lastError: "executor down (attempt 5)" });
    const letters = await db.select().from(deadLetters).where(eq(deadLetters.source, "local-queue"));
    expect(letters).toHaveLength(1);
    expect(letters[0]?.body).toMatchObject({ selfTestId: "st_7" });
  });
});
