/**
 * The one place that decides whether a failure means "a dependency is not there right now"
 * (the database restarting, a severed connection, the object store down) rather than a fault
 * in the request or the code. Such a failure is answered 503 `unavailable` with Retry-After,
 * retried by the queue with backoff, and makes the cron and the queue poll back off.
 */

/** What a 503 `unavailable` asks the client to wait before trying again. */
export const retryAfterSeconds = 5;

/** Thrown by an adapter for a dependency that answered but is not serving (an S3 5xx). */
export class DependencyUnavailableError extends Error {
  readonly dependency: "database" | "objectStore";
  constructor(dependency: "database" | "objectStore", message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DependencyUnavailableError";
    this.dependency = dependency;
  }
}

/** Socket-level codes (Node's and undici's) of a connection refused, reset or timed out. */
const networkCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Postgres SQLSTATEs: class 08 (connection exception), 57P01 admin_shutdown (a restart or an
 * administrator's terminate), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or
 * in recovery), 53300 too_many_connections.
 */
const postgresUnavailable = (code: string) =>
  code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03" || code === "53300";

/** node-postgres and its pool say these without a code. */
const driverMessages = [
  /^Connection terminated/,
  /is not queryable/,
  /^timeout exceeded when trying to connect/,
  /^Connection terminated due to connection timeout/,
  /^Query read timeout/,
];

function isUnavailableOne(error: object): boolean {
  if (error instanceof DependencyUnavailableError) return true;
  const code = "code" in error && typeof error.code === "string" ? error.code : undefined;
  if (code && (networkCodes.has(code) || (/^[0-9A-Z]{5}$/.test(code) && postgresUnavailable(code)))) {
    return true;
  }
  const message = "message" in error && typeof error.message === "string" ? error.message : "";
  return driverMessages.some((pattern) => pattern.test(message));
}

/**
 * True when `error`, or an error it wraps (`cause`, as drizzle and fetch wrap them), says a
 * dependency is unreachable or not serving.
 */
export function isUnavailable(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 6 && e !== null && typeof e === "object"; depth++) {
    if (isUnavailableOne(e)) return true;
    e = "cause" in e ? e.cause : undefined;
  }
  return false;
}
