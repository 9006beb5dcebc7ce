/**
 * What every workers-tier test starts: an S3-protocol store with a bucket, the worker's
 * Postgres (seeded with one tenant and its admin key) and the bundle in workerd bound to
 * both, as wrangler.toml binds them in production.
 */
import { inject } from "vitest";
import { systemClock } from "../../shared/platform/clock";
import { createPgDatabase, type PgDatabase } from "../../shared/platform/database-pg";
import { generateSigningKey, type PrivateJwk } from "../../shared/platform/signer";
import { createTenantWithAdminKey } from "../../shared/tenants/seed";
import { type S3rver, s3rverCredentials, startS3rver } from "../support/s3rver";
import { startWorker, type TestWorker } from "./miniflare";

export interface WorkerStack {
  s3: S3rver;
  pg: PgDatabase;
  worker: TestWorker;
  /** The bindings the worker runs with (to start a variant of it). */
  bindings: Record<string, string>;
  signingKey: PrivateJwk;
  tenant: { id: string; apiKey: string };
  close(): Promise<void>;
}

export async function startStack(options: {
  bucket: string;
  tenant: { slug: string; name: string };
  logLevel?: string;
  /** More bindings, e.g. OUTBOUND_ALLOW_LOOPBACK for an executor on 127.0.0.1. */
  bindings?: Record<string, string>;
  /** Lower limits for the Rate Limiting bindings than wrangler.toml's. */
  ratelimits?: NonNullable<Parameters<typeof startWorker>[1]>["ratelimits"];
}): Promise<WorkerStack> {
  const s3 = await startS3rver();
  await s3.createBucket(options.bucket);
  const pg = createPgDatabase({ url: inject("workersDatabaseUrl"), max: 2 });
  const seeded = await createTenantWithAdminKey({
    ctx: { db: pg.connect().db, clock: systemClock },
    input: options.tenant,
  });
  const signingKey = await generateSigningKey();
  const bindings = {
    LOG_LEVEL: options.logLevel ?? "info",
    DATABASE_URL: inject("workersDatabaseUrl"),
    NEON_WS_PROXY: inject("neonWsProxy"),
    SIGNING_KEYS: JSON.stringify([signingKey]),
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: options.bucket,
    S3_REGION: s3rverCredentials.region,
    S3_ACCESS_KEY_ID: s3rverCredentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3rverCredentials.secretAccessKey,
    S3_FORCE_PATH_STYLE: "true",
    ...options.bindings,
  };
  const worker = await startWorker(bindings, { ratelimits: options.ratelimits });
  return {
    s3,
    pg,
    worker,
    bindings,
    signingKey,
    tenant: { id: seeded.tenantId, apiKey: seeded.apiKey },
    async close() {
      await worker.dispose();
      await pg.shutdown();
      await s3.close();
    },
  };
}
