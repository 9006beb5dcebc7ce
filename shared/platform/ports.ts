/**
 * Ports: what the domain needs from the runtime. Each has a production
 * adapter (Workers) and an embedded one (Node); the domain sees only these.
 */
import type { Database } from "../db/client";
import type { JobMessage } from "../jobs/messages";

export interface Clock {
  now(): Date;
}

export interface ObjectInfo {
  key: string;
  size: number;
  etag?: string;
  contentType?: string;
  lastModified?: Date;
}

export interface ObjectBody extends ObjectInfo {
  body: ReadableStream<Uint8Array>;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
}

export interface ListPage {
  objects: ObjectInfo[];
  /** Pass back as `cursor` to read the next page; absent on the last page. */
  cursor?: string;
}

export interface PutOptions {
  contentType?: string;
}

export interface GetOptions {
  /** Only these bytes of the object (an HTTP Range): `size` and the body are the range's. */
  range?: { offset: number; length: number };
}

export interface ObjectStore {
  /** Reads `body` only until the returned promise settles: the caller may reuse it after. */
  put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<ObjectInfo>;
  /**
   * Writes a stream as the object, holding at most a bounded piece of it in memory (the
   * filesystem: a temporary file renamed into place; S3: one PUT when it ends within a part,
   * else a multipart upload). The object appears only once the stream has ended: if the
   * stream errors, the error is rethrown and nothing is kept (the temporary file is deleted,
   * the multipart upload aborted), an object already at `key` staying as it was.
   */
  putStream(key: string, body: ReadableStream<Uint8Array>, options?: PutOptions): Promise<ObjectInfo>;
  get(key: string, options?: GetOptions): Promise<ObjectBody | null>;
  head(key: string): Promise<ObjectInfo | null>;
  /**
   * The SHA-256 (hex) and size of an object, null when it does not exist: for a store that
   * reads its own bytes faster than a `get` body is read (the filesystem). Without it, hash the body.
   */
  sha256?(key: string): Promise<{ sha256: string; size: number } | null>;
  delete(key: string): Promise<void>;
  /**
   * Copies an object inside the store (S3 CopyObject: no byte passes through the caller), a
   * snapshot of `from` as it is now. Null when `from` does not exist.
   */
  copy(from: string, to: string): Promise<ObjectInfo | null>;
  list(options?: { prefix?: string; cursor?: string; limit?: number }): Promise<ListPage>;
  /** A URL that lets its holder GET or PUT one object until it expires; null when the store cannot presign. */
  presign(key: string, options: { method: "GET" | "PUT"; expiresInSeconds: number }): Promise<string | null>;
  /** Cheap reachability check for /readyz. */
  ping(): Promise<void>;
}

export interface Signer {
  /** Key id of the active signing key. */
  readonly kid: string;
  /** Compact JWS over the JSON payload, header `{ alg: "EdDSA", kid, typ }`. */
  signJson(payload: unknown, options?: { typ?: string }): Promise<string>;
  /** Public keys (active and retired) as a JWKS document. */
  jwks(): { keys: JsonWebKeyWithKid[] };
}

export interface JsonWebKeyWithKid {
  kty: string;
  crv?: string;
  x?: string;
  kid: string;
  alg?: string;
  use?: string;
}

/** A connection to the database for one unit of work (a request, a batch, a cron run). */
export interface DatabaseConnection {
  db: Database;
  close(): Promise<void>;
}

/**
 * `COPY … FROM STDIN` of text-format rows (shared/db/copy-text.ts) on the connection of
 * the transaction `tx`, piece by piece as `pieces` yields them (backpressure respected);
 * resolves to the rows copied. A COPY that fails aborts `tx`.
 */
export type CopyIn = (
  tx: Database,
  statement: string,
  /** The data after the statement, in its format: text pieces or bytes. */
  pieces: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
) => Promise<number>;

export interface DatabasePort {
  readonly driver: "pglite" | "pg" | "neon";
  connect(): DatabaseConnection;
  /** Drivers that stream COPY (node-postgres); bulk writes fall back to INSERT without it. */
  readonly copyIn?: CopyIn;
}

export interface JobQueue {
  send(message: JobMessage, options?: { delaySeconds?: number }): Promise<void>;
}

export interface OutboundRequest {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** The whole exchange: connect, send, answer headers and body. */
  timeoutMs: number;
  /** Until the connection (TCP and TLS) is up; defaults to min(timeoutMs, 5 s). Node only: Workers do not expose the connect. */
  connectTimeoutMs?: number;
  /** Bytes of the answer's body kept; reading stops there and `truncated` says so. */
  maxBytes: number;
}

export interface OutboundResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
  /** The answer was longer than `maxBytes`: `body` holds its first `maxBytes` bytes. */
  truncated: boolean;
}

/**
 * The one client for every request the server makes on a tenant's behalf (executor webhooks,
 * IdP key sets). It never reaches loopback (unless allowed), private, link-local, CGNAT,
 * unique-local, multicast or unspecified addresses, never follows a redirect, and bounds time
 * and answer size. Failures throw `OutboundError` (shared/platform/outbound.ts).
 */
export interface Outbound {
  /** OUTBOUND_ALLOW_LOOPBACK: loopback hosts (and plain http to them) for development and tests. */
  readonly allowLoopback: boolean;
  request(request: OutboundRequest): Promise<OutboundResponse>;
}

/** What a DNS TXT lookup found: the record's strings, or that the name has none. */
export type TxtAnswer = { found: true; values: string[] } | { found: false; reason: "nxdomain" | "no_txt" };

/**
 * DNS TXT lookups through the resolver the platform is configured with (DNS over HTTPS on
 * Workers and Node alike). Throws `DnsUnavailableError` when it cannot give an answer.
 */
export interface TxtResolver {
  txt(name: string): Promise<TxtAnswer>;
}

export class DnsUnavailableError extends Error {
  override name = "DnsUnavailableError";
}

/** One counted request against a limit: allowed or not, and when to try again if not. */
export interface RateLimitVerdict {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * A request counter keyed by the caller: in-process on Node, the Rate Limiting binding on
 * Workers (shared by every isolate of a location). Each call counts one request.
 */
export interface RateLimiter {
  limit(key: string): Promise<RateLimitVerdict>;
}

/** The limits the HTTP edge applies: per authenticated credential, and per address for failed sign-ins. */
export interface RateLimits {
  perCredential: RateLimiter;
  authFailures: RateLimiter;
}

/**
 * A memo local to this process (Node) or isolate (Workers), never shared between them: a
 * value is reloaded once older than `maxAgeMs`, and `invalidate` drops it at once here only.
 */
export interface LocalCache {
  get<T>(key: string, maxAgeMs: number, load: () => Promise<T>): Promise<T>;
  invalidate(key: string): void;
}
