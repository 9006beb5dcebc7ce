/**
 * The in-process queue used on Node. Job state lives in Postgres (`jobs`), so a
 * restart resumes pending work and a job whose lease expired (the process died
 * mid-job) is delivered again. It calls the very same consumer as the Workers
 * queue handler, with the same at-least-once contract.
 *
 * While the database is unreachable the queue backs off: no lane starts until the wait
 * (doubling up to `maxBackoffMs`) has passed, and a job whose outcome could not be recorded
 * keeps its lane until it can be, so it is retried as soon as the database is back instead
 * of after its lease.
 */
import { and, eq, lte, or, sql } from "drizzle-orm";
import { jobs } from "../db/schema";
import { newId } from "../ids/ids";
import { type JobHandler, type JobMessage, maxAttempts } from "../jobs/messages";
import type { Logger } from "../logging/logger";
import { createBackoff } from "./backoff";
import type { Clock, DatabasePort, JobQueue } from "./ports";
import { isUnavailable } from "./unavailable";

export interface LocalQueue extends JobQueue {
  /** Begin delivering jobs to `handler`; pending jobs from an earlier run are picked up. */
  start(handler: JobHandler): void;
  /** Deliver until nothing is due (tests, shutdown). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export function createLocalQueue(options: {
  database: DatabasePort;
  clock: Clock;
  logger: Logger;
  leaseSeconds?: number;
  pollMs?: number;
  /** Jobs delivered at once (default 4), as a Queues consumer runs several batches at once. */
  concurrency?: number;
  onDead?: (job: { id: string; body: unknown; attempts: number; error: string }) => Promise<void>;
  /** The longest wait between tries while the database is unreachable (default 30 s). */
  maxBackoffMs?: number;
}): LocalQueue {
  const { database, clock, logger } = options;
  const leaseMs = (options.leaseSeconds ?? 60) * 1000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const pollMs = options.pollMs ?? 1000;
  const backoff = createBackoff({ initialMs: Math.min(pollMs, 500), maxMs: options.maxBackoffMs ?? 30_000 });
  let handler: JobHandler | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let stopped = false;
  /** No lane starts before this (epoch ms) while the database is unreachable. */
  let pausedUntil = 0;

  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());

  /** The database failed: pause the lanes for the next backoff wait (logged once an outage). */
  function pause(error: unknown) {
    const wait = backoff.fail();
    pausedUntil = Date.now() + wait;
    if (backoff.failures === 1)
      logger.warn("local queue paused: database unavailable", { error: String(error) });
    return wait;
  }

  function resumed() {
    if (backoff.succeed()) logger.info("local queue resumed: database reachable again");
  }

  /**
   * Records a job's outcome, waiting out an outage: an outcome not recorded would leave the
   * job leased (taken) until its lease ran out.
   */
  async function settleSurely(id: string, patch: Partial<typeof jobs.$inferInsert>) {
    for (;;) {
      try {
        await settle(id, patch);
        return;
      } catch (error) {
        if (stopped || !isUnavailable(error)) throw error;
        await sleep(pause(error));
      }
    }
  }

  async function claim(limit: number) {
    const { db } = database.connect();
    const now = clock.now();
    const due = or(
      and(eq(jobs.status, "pending"), lte(jobs.runAfter, now)),
      and(eq(jobs.status, "running"), lte(jobs.leaseUntil, now)),
    );
    return db
      .update(jobs)
      .set({
        status: "running",
        attempts: sql`${jobs.attempts} + 1`,
        leaseUntil: new Date(now.getTime() + leaseMs),
        updatedAt: now,
      })
      .where(
        sql`${jobs.id} in (select ${jobs.id} from ${jobs} where ${due} order by ${jobs.runAfter} limit ${limit} for update skip locked)`,
      )
      .returning();
  }

  async function settle(id: string, patch: Partial<typeof jobs.$inferInsert>) {
    const { db } = database.connect();
    await db
      .update(jobs)
      .set({ ...patch, updatedAt: clock.now() })
      .where(eq(jobs.id, id));
  }

  async function deliverDue(limit: number): Promise<number> {
    if (!handler) return 0;
    const batch = await claim(limit);
    resumed();
    for (const job of batch) {
      const outcome = await handler(job.body, { id: job.id, attempts: job.attempts }).catch(
        (error: unknown) => ({ kind: "retry" as const, delaySeconds: 1, error: String(error) }),
      );
      if (outcome.kind === "ack") {
        await settleSurely(job.id, { status: "done", leaseUntil: null });
      } else if (outcome.kind === "retry" && job.attempts < maxAttempts) {
        const runAfter = new Date(clock.now().getTime() + outcome.delaySeconds * 1000);
        await settleSurely(job.id, {
          status: "pending",
          runAfter,
          leaseUntil: null,
          lastError: outcome.error,
        });
      } else {
        await settleSurely(job.id, { status: "dead", leaseUntil: null, lastError: outcome.error });
        logger.warn("job dead-lettered", { jobId: job.id, attempts: job.attempts, error: outcome.error });
        await options.onDead?.({ id: job.id, body: job.body, attempts: job.attempts, error: outcome.error });
      }
    }
    return batch.length;
  }

  /** Lanes delivering now; each claims one job at a time, so a slow job never holds others' leases. */
  const lanes = new Set<Promise<void>>();

  async function lane(): Promise<void> {
    try {
      // A lane that found work asks for one more, so a backlog fans out to `concurrency` lanes
      // while an idle queue costs one claim per poll.
      while (!stopped && (await deliverDue(1)) > 0) void kick();
    } catch (error) {
      if (isUnavailable(error)) pause(error);
      else logger.error("local queue delivery failed", { error: String(error) });
    }
  }

  /** Starts a lane unless `concurrency` are running (a job sent meanwhile waits for one); resolves when all are idle. */
  function kick(): Promise<void> {
    if (!stopped && handler && lanes.size < concurrency && Date.now() >= pausedUntil) {
      const running: Promise<void> = lane().finally(() => lanes.delete(running));
      lanes.add(running);
    }
    return Promise.all(lanes).then(() => undefined);
  }

  return {
    async send(message: JobMessage, sendOptions) {
      const { db } = database.connect();
      const runAfter = new Date(clock.now().getTime() + (sendOptions?.delaySeconds ?? 0) * 1000);
      await db.insert(jobs).values({ id: newId("job"), type: message.type, body: message, runAfter });
      queueMicrotask(() => void kick());
    },
    start(h) {
      handler = h;
      timer = setInterval(() => void kick(), pollMs);
      timer.unref?.();
      void kick();
    },
    async drain() {
      for (;;) {
        await kick();
        // A job delivered meanwhile may have sent more, picked up by lanes started since.
        if (lanes.size > 0) continue;
        if ((await deliverDue(10)) === 0 && lanes.size === 0) return;
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await Promise.all(lanes);
    },
  };
}
