import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { AppError } from "../../shared/errors/app-error";

/** Refuses bodies over `maxBytes` (by Content-Length, or while streaming) with a 413 problem. */
export function limitBody(maxBytes: number) {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError("payload_too_large", `The request body is over the limit of ${maxBytes} bytes.`, {
        limit: maxBytes,
      });
    },
  });
}

/**
 * The app-wide limit, except on routes that stream their body and count it themselves (file
 * uploads): those are left to read it as it comes, since this middleware would buffer a body
 * sent without a Content-Length to count it.
 */
export function limitBodies(defaultMax: number, streamed: { method: string; path: RegExp }[]) {
  const fallback = limitBody(defaultMax);
  return createMiddleware(async (c, next) => {
    const path = new URL(c.req.url).pathname;
    if (streamed.some((o) => o.method === c.req.method && o.path.test(path))) return next();
    return fallback(c, next);
  });
}
