/**
 * The Cloudflare Workers entry point: `fetch` serves the app, `queue` runs the
 * job consumer (and parks dead letters), `scheduled` runs the cron tasks.
 * The platform and app are built once per isolate; database connections never are.
 */
import { recordDeadLetter } from "../shared/jobs/dead-letter-repo";
import { type JobHandler, type JobOutcome, retryDelaySeconds } from "../shared/jobs/messages";
import { createLogger } from "../shared/logging/logger";
import { ConfigError } from "../shared/platform/config";
import type { Platform } from "../shared/platform/platform";
import { type App, createApp } from "./app";
import { createConsumer } from "./jobs/consumer";
import { runCron } from "./jobs/cron";
import { type WorkerEnv, workerPlatform } from "./platform-worker";

interface Runtime {
  platform: Platform;
  app: App;
  consume: JobHandler;
}

const runtimes = new WeakMap<Platform, Runtime>();

async function runtimeFor(env: WorkerEnv): Promise<Runtime> {
  const platform = await workerPlatform(env);
  let runtime = runtimes.get(platform);
  if (!runtime) {
    runtime = { platform, app: createApp(platform), consume: createConsumer(platform) };
    runtimes.set(platform, runtime);
  }
  return runtime;
}

/** Dead-letter queues are told apart by name (see wrangler.toml): they end in "-dlq". */
const isDeadLetterQueue = (queue: string): boolean => queue.endsWith("-dlq");

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The platform could not be built (there is no platform logger yet): one JSON line naming the settings. */
function logStartupFailure(error: unknown, fields: Record<string, unknown>): void {
  const config = error instanceof ConfigError ? error : undefined;
  createLogger({ level: "error" }).error(config ? "invalid configuration" : "start-up failed", {
    ...fields,
    error: message(error),
    ...(config ? { settings: config.settings } : { stack: error instanceof Error ? error.stack : undefined }),
  });
}

/** Like runtimeFor, but a start-up failure is logged before it is rethrown. */
async function runtimeOrLog(env: WorkerEnv, fields: Record<string, unknown>): Promise<Runtime> {
  try {
    return await runtimeFor(env);
  } catch (error) {
    logStartupFailure(error, fields);
    throw error;
  }
}

/** The platform could not be built: a problem naming the settings, never an opaque crash. */
function startupProblem(request: Request, error: unknown): Response {
  const requestId = `req_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
  const config = error instanceof ConfigError ? error : undefined;
  logStartupFailure(error, { requestId });
  const body = {
    type: "urn:switchboard:problem:internal",
    title: config ? "The service is misconfigured" : "Internal error",
    status: 500,
    detail: config
      ? config.message.replace(/:?\n\s*-\s*/g, (sep) => (sep.startsWith(":") ? ": " : "; "))
      : "The service could not start. Quote the request id when reporting it.",
    code: "internal",
    instance: new URL(request.url).pathname,
    requestId,
    ...(config ? { settings: config.settings } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: 500,
    headers: { "content-type": "application/problem+json", "x-request-id": requestId },
  });
}

/** JSON-safe copy of a message body for the dead_letters table (jsonb, not null). */
function storable(body: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(body ?? null)) ?? { empty: true };
  } catch {
    return { unserializable: String(body) };
  }
}

async function park(platform: Platform, msg: Message, source: string, error: string): Promise<boolean> {
  const connection = platform.database.connect();
  try {
    await recordDeadLetter(connection.db, {
      source,
      body: storable(msg.body),
      attempts: msg.attempts,
      error,
      at: platform.clock.now(),
    });
    return true;
  } catch (failure) {
    platform.logger.error("could not record dead letter", { source, jobId: msg.id, error: message(failure) });
    return false;
  } finally {
    await connection.close();
  }
}

async function consumeBatch({ platform, consume }: Runtime, batch: MessageBatch): Promise<void> {
  const source = `queue:${batch.queue}`;
  // One message at a time: each opens its own Pool, and a Worker has few concurrent connections.
  for (const msg of batch.messages) {
    let outcome: JobOutcome;
    try {
      outcome = await consume(msg.body, { id: msg.id, attempts: msg.attempts });
    } catch (error) {
      outcome = { kind: "retry", delaySeconds: retryDelaySeconds(msg.attempts), error: message(error) };
    }
    if (outcome.kind === "ack") msg.ack();
    else if (outcome.kind === "retry") msg.retry({ delaySeconds: outcome.delaySeconds });
    else if (await park(platform, msg, source, outcome.error)) msg.ack();
    else msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
  }
}

async function parkBatch({ platform }: Runtime, batch: MessageBatch): Promise<void> {
  const source = `queue:${batch.queue}`;
  for (const msg of batch.messages) {
    const error = "delivery retries exhausted; moved to the dead-letter queue";
    if (await park(platform, msg, source, error)) msg.ack();
    else msg.retry();
  }
}

export default {
  async fetch(request, env, ctx) {
    let runtime: Runtime;
    try {
      runtime = await runtimeFor(env);
    } catch (error) {
      return startupProblem(request, error);
    }
    return runtime.app.fetch(request, env, ctx);
  },

  async queue(batch, env) {
    // A start-up failure throws here, so the whole batch is retried rather than lost.
    const runtime = await runtimeOrLog(env, { queue: batch.queue });
    if (isDeadLetterQueue(batch.queue)) await parkBatch(runtime, batch);
    else await consumeBatch(runtime, batch);
  },

  async scheduled(controller, env, ctx) {
    const { platform } = await runtimeOrLog(env, { cron: controller.cron });
    const logger = platform.logger.child({ cron: controller.cron });
    ctx.waitUntil(
      runCron(platform, controller.cron).then(
        (results) => logger.info("cron finished", { results }),
        (error: unknown) => {
          logger.error("cron failed", { error: message(error) });
          throw error;
        },
      ),
    );
  },
} satisfies ExportedHandler<WorkerEnv>;
