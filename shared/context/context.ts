import type { Database } from "../db/client";
import type { Role } from "../db/schema";
import type { Logger } from "../logging/logger";
import type { ImportLimits, ImportReader } from "../platform/import-reader-port";
import type {
  Clock,
  CopyIn,
  JobQueue,
  LocalCache,
  ObjectStore,
  Outbound,
  Signer,
  TxtResolver,
} from "../platform/ports";
import type { PolicyEngine } from "../policy/engine";

/** What every domain verb receives: its dependencies, never globals. */
export interface Ctx {
  db: Database;
  store: ObjectStore;
  queue: JobQueue;
  signer: Signer;
  clock: Clock;
  logger: Logger;
  /** The only way to reach a tenant-supplied URL: private networks refused, no redirects, bounded. */
  outbound: Outbound;
  runtime: "node" | "workers";
  /** Cedar, with the policy bundle parsed once; ask it through shared/policy `authorize`/`enforce`. */
  policy: PolicyEngine;
  /** What an import may hold (file size from IMPORT_MAX_BYTES; the rest fixed). */
  importLimits: ImportLimits;
  /** COPY into a table inside a transaction, where the database driver has it. */
  copyIn?: CopyIn;
  /** How long telemetry is kept (days): raw client events, and request rollups. */
  telemetryRetention?: { eventsDays: number; rollupsDays: number };
  /** Reads import files beside the request (Node: a worker thread for large files); else inline. */
  importReader?: ImportReader;
  /** DNS TXT lookups (DOH_URL): how a white-label domain's ownership is proven. */
  dns: TxtResolver;
  /** Hosts no tenant may claim (the platform's own; each covers its subdomains), lowercase. */
  reservedHosts: readonly string[];
  /** This process's (isolate's) memo, e.g. the flag set; absent means always read through. */
  cache?: LocalCache;
}

export interface Actor {
  /** `operator`: a person signed in with an OIDC token from the tenant's IdP. */
  type: "api_key" | "operator" | "system";
  id: string;
  /** The most privileged role held: what a receipt or a stored request records. */
  role: Role;
  /**
   * Every role held, when several (an operator given more than one by an identity import);
   * Cedar sees all of them. Absent means just `role`: an API key, or work stored with `role` only.
   */
  roles?: readonly Role[];
}

export interface TenantRef {
  id: string;
  slug: string;
  name: string;
}

/** A verb acting for one tenant: every read and write it makes is filtered by `tenant.id`. */
export interface TenantCtx extends Ctx {
  tenant: TenantRef;
  actor: Actor;
}
