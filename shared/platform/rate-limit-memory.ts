/**
 * The in-process rate limiter (Node): a fixed window per key. A Node server is one process,
 * so its counter is the whole count; Workers use the Rate Limiting binding instead.
 */
import type { RateLimiter } from "./ports";

/** Keys kept at most; past it the oldest windows go first (they have the least left to count). */
const maxKeys = 50_000;

export function createMemoryRateLimiter(options: {
  limit: number;
  periodSeconds: number;
  now?: () => number;
}): RateLimiter {
  const now = options.now ?? Date.now;
  const periodMs = options.periodSeconds * 1000;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    async limit(key) {
      const t = now();
      const start = Math.floor(t / periodMs) * periodMs;
      const retryAfterSeconds = Math.max(1, Math.ceil((start + periodMs - t) / 1000));
      const window = windows.get(key);
      if (!window || window.start !== start) {
        windows.delete(key); // re-insert: Map order is then oldest window first
        if (windows.size >= maxKeys) {
          const oldest = windows.keys().next().value;
          if (oldest !== undefined) windows.delete(oldest);
        }
        windows.set(key, { start, count: 1 });
        return { allowed: options.limit >= 1, retryAfterSeconds };
      }
      window.count++;
      return { allowed: window.count <= options.limit, retryAfterSeconds };
    },
  };
}
