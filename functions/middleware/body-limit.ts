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

/** The app-wide limit, except where a route declares a larger one (file uploads). */
export function limitBodies(
  defaultMax: number,
  overrides: { method: string; path: RegExp; maxBytes: number }[],
) {
  const fallback = limitBody(defaultMax);
  const specific = overrides.map((o) => ({ ...o, limit: limitBody(o.maxBytes) }));
  return createMiddleware(async (c, next) => {
    const path = new URL(c.req.url).pathname;
    const match = specific.find((o) => o.method === c.req.method && o.path.test(path));
    return (match?.limit ?? fallback)(c, next);
  });
}
