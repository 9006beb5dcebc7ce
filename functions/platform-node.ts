/**
 * Builds the platform for Node from validated settings: PGlite and files under
 * DATA_DIR by default, a real Postgres with DATABASE_URL, an S3-compatible store
 * with S3_ENDPOINT. Imported only by the Node entry point and tests.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { recordDeadLetter } from "../shared/jobs/dead-letter-repo";
import { createLogger, type Logger, type LogSink } from "../shared/logging/logger";
import { systemClock } from "../shared/platform/clock";
import type { NodeConfig } from "../shared/platform/config";
import { createPgDatabase } from "../shared/platform/database-pg";
import { createDohResolver } from "../shared/platform/dns-doh";
import { createThreadReader, type ThreadReader } from "../shared/platform/import-reader/host";
import { createNodeOutbound } from "../shared/platform/outbound-node";
import type { Platform } from "../shared/platform/platform";
import type { Clock, DatabasePort, ObjectStore } from "../shared/platform/ports";
import { createLocalQueue, type LocalQueue } from "../shared/platform/queue-local";
import { createMemoryRateLimiter } from "../shared/platform/rate-limit-memory";
import { createSigner, parseSigningKeys } from "../shared/platform/signer";
import { loadOrCreateSigningKeys } from "../shared/platform/signer-file";
import { createFsStore } from "../shared/platform/store-fs";
import { createS3Store } from "../shared/platform/store-s3";
import { createNodePolicyEngine } from "../shared/policy/engine-node";
import { createConsumer } from "./jobs/consumer";

export const migrationsFolder = fileURLToPath(new URL("../migrations", import.meta.url));

/** Import files from this size on are read in a worker thread beside the planner. */
const threadMinBytes = 4 * 1024 * 1024;

export interface NodePlatform extends Platform {
  queue: LocalQueue;
  /** The import reader threads behind `importReader` (the server warms them at start). */
  readers: ThreadReader;
  shutdown(): Promise<void>;
}

export interface NodePlatformOptions {
  logSink?: LogSink;
  clock?: Clock;
  /** Tests that decide when the queue starts delivering pass false and call `queue.start` later. */
  startQueue?: boolean;
  /** Tests pass an already migrated database. */
  database?: DatabasePort & { shutdown?(): Promise<void> };
}

function objectStore(config: NodeConfig): ObjectStore {
  if (config.S3_ENDPOINT && config.S3_BUCKET && config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY) {
    return createS3Store({
      endpoint: config.S3_ENDPOINT,
      bucket: config.S3_BUCKET,
      region: config.S3_REGION,
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
    });
  }
  return createFsStore(join(config.DATA_DIR, "objects"));
}

async function database(config: NodeConfig, logger: Logger) {
  if (config.DATABASE_URL) {
    return createPgDatabase({
      url: config.DATABASE_URL,
      onError: (error) => logger.warn("a pooled Postgres connection failed", { error: String(error) }),
    });
  }
  // Loaded only when used: PGlite costs ~45 MB of memory just by being imported.
  const { createPgliteDatabase } = await import("../shared/platform/database-pglite");
  const embedded = await createPgliteDatabase({ dataDir: join(config.DATA_DIR, "pglite") });
  await embedded.migrate(migrationsFolder);
  return embedded;
}

export async function createNodePlatform(
  config: NodeConfig,
  options: NodePlatformOptions = {},
): Promise<NodePlatform> {
  const clock = options.clock ?? systemClock;
  const logger = createLogger({ level: config.LOG_LEVEL, sink: options.logSink, now: () => clock.now() });
  const db = options.database ?? (await database(config, logger));
  const keys = config.SIGNING_KEYS
    ? parseSigningKeys(config.SIGNING_KEYS)
    : await loadOrCreateSigningKeys(config.DATA_DIR);
  const queue = createLocalQueue({
    database: db,
    clock,
    logger,
    leaseSeconds: config.QUEUE_LEASE_SECONDS,
    onDead: async (job) => {
      await recordDeadLetter(db.connect().db, { source: "local-queue", ...job, at: clock.now() });
    },
  });
  const readers = createThreadReader({ threads: config.IMPORT_READER_THREADS, minBytes: threadMinBytes });
  const platform: NodePlatform = {
    runtime: "node",
    config,
    database: db,
    store: objectStore(config),
    queue,
    signer: await createSigner(keys),
    clock,
    logger,
    outbound: createNodeOutbound({ allowLoopback: config.OUTBOUND_ALLOW_LOOPBACK }),
    policy: createNodePolicyEngine(),
    importReader: readers,
    dns: createDohResolver({ url: config.DOH_URL }),
    rateLimits: {
      perCredential: createMemoryRateLimiter({ limit: config.RATE_LIMIT_PER_MINUTE, periodSeconds: 60 }),
      authFailures: createMemoryRateLimiter({ limit: config.AUTH_FAILURES_PER_MINUTE, periodSeconds: 60 }),
    },
    // @hono/node-server passes the request's socket as `env.incoming`.
    clientAddress: (request) =>
      (request.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
        ?.remoteAddress ?? "unknown",
    readers,
    shutdown: async () => {
      await queue.stop();
      await db.shutdown?.();
    },
  };
  if (options.startQueue !== false) queue.start(createConsumer(platform));
  return platform;
}
