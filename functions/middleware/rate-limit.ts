/**
 * A fixed-window limit per credential, kept in the instance's memory: it bounds
 * bursts from one key on one instance. (Workers run many instances; a global
 * quota belongs to Cloudflare's rate limiting rules in front of the app.)
 */
import { createMiddleware } from "hono/factory";
import { AppError } from "../../shared/errors/app-error";
import type { AppEnv } from "../app-env";

export function rateLimit(perMinute: number, now: () => number = Date.now) {
  const windows = new Map<string, { start: number; count: number }>();
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header("authorization") ?? c.req.header("x-forwarded-for") ?? "anonymous";
    const t = now();
    const minute = Math.floor(t / 60_000) * 60_000;
    const window = windows.get(key);
    if (!window || window.start !== minute) {
      if (windows.size > 10_000) windows.clear();
      windows.set(key, { start: minute, count: 1 });
    } else if (++window.count > perMinute) {
      const retryAfter = Math.ceil((minute + 60_000 - t) / 1000);
      throw new AppError(
        "rate_limited",
        `More than ${perMinute} requests in a minute from this credential.`,
        {
          headers: { "retry-after": String(retryAfter) },
          limit: perMinute,
        },
      );
    }
    await next();
  });
}
