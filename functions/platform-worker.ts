/**
 * Builds the platform on Cloudflare Workers from the bindings. Imported only by
 * functions/worker.ts, so the bundle holds only adapters that run in workerd:
 * Neon over WebSocket, S3 over fetch, the Queues binding, WebCrypto signing.
 */
import type { JobMessage } from "../shared/jobs/messages";
import { createLogger } from "../shared/logging/logger";
import { systemClock } from "../shared/platform/clock";
import { ConfigError, loadWorkerConfig } from "../shared/platform/config";
import { createNeonDatabase } from "../shared/platform/database-neon";
import { createDohResolver } from "../shared/platform/dns-doh";
import { createFetchOutbound } from "../shared/platform/outbound-fetch";
import type { Platform } from "../shared/platform/platform";
import { createCloudflareQueue } from "../shared/platform/queue-cloudflare";
import { createCloudflareRateLimiter, isRateLimitBinding } from "../shared/platform/rate-limit-cloudflare";
import { createSigner, parseSigningKeys } from "../shared/platform/signer";
import { createS3Store } from "../shared/platform/store-s3";
import { createWorkerPolicyEngine } from "../shared/policy/engine-worker";

/** The Worker's bindings: the JOBS queue producer plus string vars and secrets (see wrangler.toml). */
export interface WorkerEnv {
  JOBS: Queue<JobMessage>;
  [binding: string]: unknown;
}

/** Runs one build step; a failure that is not already a ConfigError is blamed on the settings it read. */
async function blame<T>(settings: string[], build: () => T | Promise<T>): Promise<T> {
  try {
    return await build();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const message = (error instanceof Error ? error.message : String(error)).replace(/^[A-Z_]+: /, "");
    throw new ConfigError(settings.map((setting) => ({ setting, message })));
  }
}

/** Throws ConfigError naming every missing or malformed setting. Opens no connection. */
export async function createWorkerPlatform(env: WorkerEnv): Promise<Platform> {
  const config = loadWorkerConfig(env);
  if (!env.JOBS || typeof env.JOBS.send !== "function") {
    throw new ConfigError([{ setting: "JOBS", message: "queue producer binding is missing" }]);
  }
  const { RATE_LIMITER: perCredential, AUTH_FAILURE_LIMITER: authFailures } = env;
  if (!isRateLimitBinding(perCredential) || !isRateLimitBinding(authFailures)) {
    throw new ConfigError(
      (["RATE_LIMITER", "AUTH_FAILURE_LIMITER"] as const)
        .filter((name) => !isRateLimitBinding(env[name]))
        .map((setting) => ({ setting, message: "rate limiting binding is missing ([[ratelimits]])" })),
    );
  }
  const logger = createLogger({ level: config.LOG_LEVEL, now: () => systemClock.now() });
  const store = await blame(["S3_ENDPOINT", "S3_FORCE_PATH_STYLE"], () =>
    createS3Store({
      endpoint: config.S3_ENDPOINT,
      bucket: config.S3_BUCKET,
      region: config.S3_REGION,
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
    }),
  );
  const signer = await blame(["SIGNING_KEYS"], () => createSigner(parseSigningKeys(config.SIGNING_KEYS)));
  return {
    runtime: "workers",
    config,
    // A port, not a connection: every request, batch and cron run opens (and ends) its own Pool.
    database: createNeonDatabase({ url: config.DATABASE_URL, wsProxy: config.NEON_WS_PROXY }),
    store,
    queue: createCloudflareQueue(env.JOBS),
    signer,
    clock: systemClock,
    logger,
    outbound: createFetchOutbound({ allowLoopback: config.OUTBOUND_ALLOW_LOOPBACK }),
    policy: createWorkerPolicyEngine(),
    dns: createDohResolver({ url: config.DOH_URL }),
    rateLimits: {
      perCredential: createCloudflareRateLimiter(perCredential),
      authFailures: createCloudflareRateLimiter(authFailures),
    },
    // Cloudflare sets it at its edge; a caller cannot.
    clientAddress: (request) => request.header("cf-connecting-ip") ?? "unknown",
  };
}

const platforms = new WeakMap<object, Promise<Platform>>();

/** The platform for these bindings, built once per isolate (the env object is stable within one). */
export function workerPlatform(env: WorkerEnv): Promise<Platform> {
  let built = platforms.get(env);
  if (!built) {
    built = createWorkerPlatform(env);
    platforms.set(env, built);
    // A failed build is not cached: the next request tries again (and fails the same way for bad settings).
    built.catch(() => platforms.delete(env));
  }
  return built;
}
