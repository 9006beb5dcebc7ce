import type { Ctx } from "../context/context";
import type { Database } from "../db/client";
import type { ImportReader } from "../imports/framework/plan/read-items";
import { type ImportLimits, resolveLimits } from "../imports/limits";
import type { Logger } from "../logging/logger";
import type { PolicyEngine } from "../policy/engine";
import type { Config } from "./config";
import type { Clock, DatabasePort, JobQueue, ObjectStore, Outbound, Signer } from "./ports";

/** Everything the runtime provides, built once by an entry point from validated settings. */
export interface Platform {
  runtime: "node" | "workers";
  config: Config;
  database: DatabasePort;
  store: ObjectStore;
  queue: JobQueue;
  signer: Signer;
  clock: Clock;
  logger: Logger;
  /** Every request the server makes for a tenant goes through it. */
  outbound: Outbound;
  /** Built once per process / isolate: parsing the policy set is the expensive part. */
  policy: PolicyEngine;
  /** Where import files are read during a dry run; without one, inline. */
  importReader?: ImportReader;
}

/** Resolved once per platform, not per request. */
const limitsByPlatform = new WeakMap<Platform, ImportLimits>();
function importLimitsOf(platform: Platform): ImportLimits {
  let limits = limitsByPlatform.get(platform);
  if (!limits) {
    limits = resolveLimits({ maxBytes: platform.config.IMPORT_MAX_BYTES });
    limitsByPlatform.set(platform, limits);
  }
  return limits;
}

/** The domain context for one unit of work on this platform. */
export function contextFor(platform: Platform, db: Database, logger: Logger = platform.logger): Ctx {
  return {
    db,
    store: platform.store,
    queue: platform.queue,
    signer: platform.signer,
    clock: platform.clock,
    logger,
    outbound: platform.outbound,
    runtime: platform.runtime,
    policy: platform.policy,
    importLimits: importLimitsOf(platform),
    copyIn: platform.database.copyIn,
    importReader: platform.importReader,
  };
}
