/**
 * `Idempotency-Key` on an unsafe route (declared in its createRoute `middleware`, after
 * auth): the first response per tenant and key is stored and replayed, with
 * `idempotent-replayed: true`, for a retry of the same request. See shared/idempotency.
 */
import { createMiddleware } from "hono/factory";
import {
  beginIdempotent,
  finishIdempotent,
  parseIdempotencyKey,
  requestFingerprint,
} from "../../shared/idempotency/idempotency";
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
    await finishIdempotent({ ctx, input: { key, fingerprint, status: 500, headers: {}, body: "" } });
    throw error;
  }
  const headers: Record<string, string> = {};
  for (const name of replayed) {
    const value = c.res.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const text = await c.res.clone().text();
  await finishIdempotent({ ctx, input: { key, fingerprint, status: c.res.status, headers, body: text } });
});
