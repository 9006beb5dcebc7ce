/**
 * The queue consumer: the Workers `queue` handler and the Node in-process queue
 * both deliver here. Every step it calls is idempotent (delivery is at least once).
 */
import type { Ctx } from "../../shared/context/context";
import { applyImportChunk } from "../../shared/imports/framework/commit/apply-chunk";
import { revertImportChunk } from "../../shared/imports/framework/revert/revert-chunk";
import {
  type JobHandler,
  type JobMessage,
  jobMessage,
  maxAttempts,
  retryDelaySeconds,
} from "../../shared/jobs/messages";
import { parkIfSuspended } from "../../shared/jobs/parking";
import { deliverCommand } from "../../shared/ops/commands/deliver";
import { contextFor, type Platform } from "../../shared/platform/platform";
import { completeSelfTest } from "../../shared/self-tests/self-tests";

async function dispatch(ctx: Ctx, message: JobMessage, delivery: { attempts: number }): Promise<void> {
  switch (message.type) {
    case "self-test.run":
      return completeSelfTest({ ctx, input: message });
    case "import.chunk":
      return applyImportChunk({ ctx, input: message, delivery });
    case "import.revert-chunk":
      return revertImportChunk({ ctx, input: message, delivery });
    case "command.dispatch":
      return deliverCommand({ ctx, input: message });
  }
}

export function createConsumer(platform: Platform): JobHandler {
  return async (body, delivery) => {
    const parsed = jobMessage.safeParse(body);
    if (!parsed.success) {
      return {
        kind: "dead",
        error: `unrecognised message: ${parsed.error.issues.map((i) => i.message).join("; ")}`,
      };
    }
    const logger = platform.logger.child({
      jobId: delivery.id,
      jobType: parsed.data.type,
      attempts: delivery.attempts,
    });
    const connection = platform.database.connect();
    try {
      const ctx = contextFor(platform, connection.db, logger);
      // A suspended tenant's work waits, parked, until it is reactivated.
      if (await parkIfSuspended(ctx, parsed.data)) return { kind: "ack" };
      await dispatch(ctx, parsed.data, delivery);
      return { kind: "ack" };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.warn("job failed", { error: message });
      return delivery.attempts >= maxAttempts
        ? { kind: "dead", error: message }
        : { kind: "retry", delaySeconds: retryDelaySeconds(delivery.attempts), error: message };
    } finally {
      await connection.close();
    }
  };
}
