/**
 * Server-side request telemetry for every /v1 request: route template (never the raw path),
 * method, status, latency, bytes in and out (as declared by Content-Length), and the receipt
 * the request produced (`x-receipt-id`), tied to the request id. Recorded in memory and written
 * off the request path: under `waitUntil` on Workers, on a one-second timer on Node.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import type { Platform } from "../../shared/platform/platform";
import { requestRecorderOf } from "../../shared/telemetry/platform-recorder";
import type { AppEnv } from "../app-env";

const lengthOf = (value: string | null | undefined) => {
  const n = Number(value ?? 0);
  return Number.isFinite(n) && n > 0 ? n : 0;
};

/** The matched route's template, `/v1/feedback/:id`; `(unmatched)` when no route answered. */
function templateOf(c: Context<AppEnv>): string {
  const path = routePath(c, -1);
  return !path || path.endsWith("*") ? "(unmatched)" : path;
}

export function requestTelemetry(platform: Platform) {
  const recorder = requestRecorderOf(platform);
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    await next();
    const tenantCtx = c.get("tenantCtx") as AppEnv["Variables"]["tenantCtx"] | undefined;
    recorder.record({
      tenantId: tenantCtx?.tenant.id ?? "",
      route: templateOf(c),
      method: c.req.method,
      status: c.res.status,
      latencyMs: performance.now() - started,
      bytesIn: lengthOf(c.req.header("content-length")),
      bytesOut: lengthOf(c.res.headers.get("content-length")),
      requestId: c.get("requestId"),
      receiptId: c.res.headers.get("x-receipt-id") ?? undefined,
      at: platform.clock.now(),
    });
    if (platform.runtime === "workers") {
      try {
        c.executionCtx.waitUntil(recorder.flush());
        return;
      } catch {
        // no execution context (a test calling the worker's app directly): fall through to the timer
      }
    }
    recorder.schedule();
  });
}
