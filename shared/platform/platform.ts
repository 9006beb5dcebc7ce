import type { Ctx } from "../context/context";
import type { Database } from "../db/client";
import type { ImportReader } from "../imports/framework/plan/read-items";
import { type ImportLimits, resolveLimits } from "../imports/limits";
import type { Logger } from "../logging/logger";
import type { PolicyEngine } from "../policy/engine";
import type { Config } from "./config";
import { createLocalCache } from "./local-cache";
import type {
  Clock,
  DatabasePort,
  JobQueue,
  LocalCache,
  ObjectStore,
  Outbound,
  RateLimits,
  Signer,
  TxtResolver,
} from "./ports";

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
  /** DNS TXT lookups over DNS-over-HTTPS (DOH_URL). */
  dns: TxtResolver;
  /** Request limits at the HTTP edge: in-process on Node, the Rate Limiting bindings on Workers. */
  rateLimits: RateLimits;
  /** The caller's network address, as the runtime knows it (not a header the caller can set). */
  clientAddress(request: { header(name: string): string | undefined; env: unknown }): string;
}

/** The product's own domains: never a tenant's white-label host, whatever the settings say. */
export const platformDomains = ["switchboard.dev"] as const;

/** Reserved hosts: the product's domains, PUBLIC_BASE_URL's host and RESERVED_HOSTS. */
export function reservedHostsOf(config: Pick<Config, "PUBLIC_BASE_URL" | "RESERVED_HOSTS">): string[] {
  const hosts = new Set<string>(platformDomains);
  if (config.PUBLIC_BASE_URL) hosts.add(new URL(config.PUBLIC_BASE_URL).hostname.toLowerCase());
  for (const host of (config.RESERVED_HOSTS ?? "").split(",")) {
    const trimmed = host.trim().toLowerCase().replace(/\.$/, "");
    if (trimmed) hosts.add(trimmed);
  }
  return [...hosts];
}

const reservedByPlatform = new WeakMap<Platform, string[]>();
function reservedHostsFor(platform: Platform): string[] {
  let hosts = reservedByPlatform.get(platform);
  if (!hosts) {
    hosts = reservedHostsOf(platform.config);
    reservedByPlatform.set(platform, hosts);
  }
  return hosts;
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

/** One memo per platform: per process on Node, per isolate on Workers. */
const cacheByPlatform = new WeakMap<Platform, LocalCache>();
function cacheOf(platform: Platform): LocalCache {
  let cache = cacheByPlatform.get(platform);
  if (!cache) {
    cache = createLocalCache(platform.clock);
    cacheByPlatform.set(platform, cache);
  }
  return cache;
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
    dns: platform.dns,
    reservedHosts: reservedHostsFor(platform),
    telemetryRetention: {
      eventsDays: platform.config.TELEMETRY_EVENTS_RETENTION_DAYS,
      rollupsDays: platform.config.TELEMETRY_ROLLUPS_RETENTION_DAYS,
    },
    cache: cacheOf(platform),
  };
}
