/**
 * Queue messages are versioned schemas. A message names the work (ids), never
 * carries bulk data: a Cloudflare queue message is at most 128 KB.
 */
import { z } from "zod";

export const selfTestMessage = z.object({
  v: z.literal(1),
  type: z.literal("self-test.run"),
  tenantId: z.string(),
  selfTestId: z.string(),
});

/** Apply one chunk of a committed import; the rows are in the object store, never in the message. */
export const importChunkMessage = z.object({
  v: z.literal(1),
  type: z.literal("import.chunk"),
  tenantId: z.string(),
  importId: z.string(),
  chunkNo: z.number().int().nonnegative(),
});

/** Undo one applied chunk of an import being reverted (shared/imports/framework/revert/revert-chunk.ts). */
export const importRevertChunkMessage = z.object({
  v: z.literal(1),
  type: z.literal("import.revert-chunk"),
  tenantId: z.string(),
  importId: z.string(),
  chunkNo: z.number().int().nonnegative(),
});

/** Deliver one attempt of a dispatched command to the tenant's executor (shared/ops/commands/deliver.ts). */
export const commandDispatchMessage = z.object({
  v: z.literal(1),
  type: z.literal("command.dispatch"),
  tenantId: z.string(),
  commandId: z.string(),
  attempt: z.number().int().positive(),
});

export const jobMessage = z.discriminatedUnion("type", [
  selfTestMessage,
  importChunkMessage,
  importRevertChunkMessage,
  commandDispatchMessage,
]);

export type JobMessage = z.infer<typeof jobMessage>;

/** What the consumer decided for one delivery. */
export type JobOutcome =
  | { kind: "ack" }
  | { kind: "retry"; delaySeconds: number; error: string }
  | { kind: "dead"; error: string };

export type JobHandler = (body: unknown, delivery: { id: string; attempts: number }) => Promise<JobOutcome>;

/** Deliveries per message before it is parked as a dead letter (matches `max_retries` + 1 in wrangler.toml). */
export const maxAttempts = 5;

export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 2 ** attempts);
}
