/**
 * Request limits at the HTTP edge, on the platform's counters (in-process on Node, the Rate
 * Limiting bindings on Workers):
 * - per authenticated credential: an API key by its id, a person's token by their operator id
 *   (its subject in its tenant). Not the raw `Authorization` header, whose spelling a caller
 *   can vary to get a fresh budget;
 * - per client address for failed authentication, so guessing credentials is slowed whatever
 *   they look like. The address is the runtime's (socket, `cf-connecting-ip`), never
 *   `x-forwarded-for`.
 */
import type { Context } from "hono";
import type { Actor } from "../../shared/context/context";
import { AppError } from "../../shared/errors/app-error";
import type { RateLimiter } from "../../shared/platform/ports";
import type { AppEnv } from "../app-env";

const authFailureCodes = new Set(["unauthenticated", "invalid_credential"]);

const limited = (detail: string, retryAfterSeconds: number) =>
  new AppError("rate_limited", detail, { headers: { "retry-after": String(retryAfterSeconds) } });

/** Counts the request against its credential; throws 429 once the credential is over its limit. */
export async function limitCredential(limiter: RateLimiter, actor: Pick<Actor, "type" | "id">) {
  const verdict = await limiter.limit(`credential:${actor.type}:${actor.id}`);
  if (!verdict.allowed) {
    throw limited("Too many requests from this credential; slow down.", verdict.retryAfterSeconds);
  }
}

/**
 * Called with the error authentication failed with: counts it against the client's address and,
 * past the limit, answers 429 instead (the failure's own detail is then not given).
 */
export async function limitAuthFailure(c: Context<AppEnv>, error: unknown): Promise<AppError | undefined> {
  if (!(error instanceof AppError) || !authFailureCodes.has(error.code)) return undefined;
  const platform = c.get("platform");
  const address = platform.clientAddress({ header: (name) => c.req.header(name), env: c.env });
  const verdict = await platform.rateLimits.authFailures.limit(`auth-failure:${address}`);
  return verdict.allowed
    ? undefined
    : limited(
        "Too many failed sign-ins from this address; wait before trying again.",
        verdict.retryAfterSeconds,
      );
}
