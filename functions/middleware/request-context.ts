/**
 * Request id and W3C trace context: an incoming `traceparent` is accepted when
 * well formed and echoed; otherwise a new one is started. Both are on every log line.
 */
import { createMiddleware } from "hono/factory";
import { hex } from "../../shared/ids/ids";
import type { Platform } from "../../shared/platform/platform";
import type { AppEnv } from "../app-env";

const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

const randomHex = (bytes: number) => hex(crypto.getRandomValues(new Uint8Array(bytes)));

export function parseTraceparent(value: string | undefined): { traceId: string; parentId: string } | null {
  const match = value ? traceparentPattern.exec(value.trim().toLowerCase()) : null;
  if (!match?.[1] || !match[2]) return null;
  if (/^0+$/.test(match[1]) || /^0+$/.test(match[2])) return null;
  return { traceId: match[1], parentId: match[2] };
}

export function requestContext(platform: Platform) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = Date.now();
    const incomingId = c.req.header("x-request-id");
    const requestId = incomingId && requestIdPattern.test(incomingId) ? incomingId : `req_${randomHex(12)}`;
    const incomingTrace = c.req.header("traceparent");
    const trace = parseTraceparent(incomingTrace);
    const traceparent =
      trace && incomingTrace ? incomingTrace.trim().toLowerCase() : `00-${randomHex(16)}-${randomHex(8)}-01`;
    const traceId = trace?.traceId ?? traceparent.slice(3, 35);
    const logger = platform.logger.child({ requestId, traceId });
    c.set("requestId", requestId);
    c.set("traceparent", traceparent);
    c.set("logger", logger);
    c.set("platform", platform);
    await next();
    c.header("x-request-id", requestId);
    c.header("traceparent", traceparent);
    logger.info("request", {
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      status: c.res.status,
      durationMs: Date.now() - started,
      // The canonical id: the receipt this request produced, tying the log line to the log.
      ...(c.res.headers.get("x-receipt-id") ? { receiptId: c.res.headers.get("x-receipt-id") } : {}),
    });
  });
}
