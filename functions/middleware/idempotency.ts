/**
 * `Idempotency-Key` on an unsafe route (declared in its createRoute `middleware`, after
 * auth): the first response per tenant and key is stored and replayed, with
 * `idempotent-replayed: true`, for a retry of the same request. See shared/idempotency.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import {
  beginIdempotent,
  finishIdempotent,
  inFlightLockSeconds,
  parseIdempotencyKey,
  requestFingerprint,
} from "../../shared/idempotency/idempotency";
import type { Logger } from "../../shared/logging/logger";
import { createBackoff } from "../../shared/platform/backoff";
import type { Platform } from "../../shared/platform/platform";
import { isUnavailable } from "../../shared/platform/unavailable";
import type { AppEnv } from "../app-env";

/** Response headers kept for a replay (the rest, e.g. x-request-id, belong to each request). */
const replayed = ["content-type", "location", "content-location"];

export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("idempotency-key");
  if (header === undefined) return next();
  const ctx = c.get("tenantCtx");
  const key = parseIdempotencyKey(header);
  const url = new URL(c.req.url);
  const body = new Uint8Array(await c.req.arrayBuffer());
  const fingerprint = requestFingerprint(c.req.method, url.pathname + url.search, body);
  const begun = await beginIdempotent({ ctx, input: { key, fingerprint } });
  if (begun.kind === "replay") {
    const { stored } = begun;
    return new Response(stored.responseBody, {
      status: stored.responseStatus ?? 200,
      headers: {
        ...stored.responseHeaders,
        "idempotent-replayed": "true",
        "x-request-id": c.get("requestId"),
      },
    });
  }
  try {
    await next();
  } catch (error) {
    await finish(c, { key, fingerprint, status: 500, headers: {}, body: "" });
    throw error;
  }
  const headers: Record<string, string> = {};
  for (const name of replayed) {
    const value = c.res.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const text = await c.res.clone().text();
  await finish(c, { key, fingerprint, status: c.res.status, headers, body: text });
});

type Finish = Parameters<typeof finishIdempotent>[0]["input"];

/**
 * Stores the response (or frees the key after a 5xx). When the database is out by then, the
 * request answers 503 and the key would stay held as in flight for its lock's ten minutes,
 * refusing the client's retry with 409 all that time: so it is finished again in the
 * background, on a connection of its own, as soon as the database is back.
 */
async function finish(c: Context<AppEnv>, input: Finish): Promise<void> {
  const ctx = c.get("tenantCtx");
  try {
    await finishIdempotent({ ctx, input });
  } catch (error) {
    if (!isUnavailable(error)) throw error;
    const platform = c.get("platform");
    const later = finishWhenBack(platform, ctx.tenant, input, c.get("logger"));
    try {
      c.executionCtx.waitUntil(later);
    } catch {
      // Node: no execution context; the process carries on.
    }
    throw error;
  }
}

async function finishWhenBack(
  platform: Platform,
  tenant: Parameters<typeof finishIdempotent>[0]["ctx"]["tenant"],
  input: Finish,
  logger: Logger,
): Promise<void> {
  const backoff = createBackoff({ initialMs: 1000, maxMs: 30_000 });
  const until = Date.now() + inFlightLockSeconds * 1000;
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, backoff.fail()));
    const connection = platform.database.connect();
    try {
      await finishIdempotent({ ctx: { db: connection.db, tenant }, input });
      return;
    } catch (error) {
      if (!isUnavailable(error)) {
        logger.error("could not finish an idempotency key", { error: String(error) });
        return;
      }
    } finally {
      await connection.close().catch(() => {});
    }
  }
}
