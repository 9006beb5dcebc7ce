/**
 * The Workers Rate Limiting binding (`[[ratelimits]]` in wrangler.toml): a counter shared by
 * the isolates of a Cloudflare location, so a key is not given a fresh budget per isolate.
 * Its limit and period live in the binding's `simple = { limit, period }`.
 */
import type { RateLimiter } from "./ports";

/** The binding's runtime shape (`env.NAME.limit({ key })`). */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

export const isRateLimitBinding = (value: unknown): value is RateLimitBinding =>
  typeof value === "object" && value !== null && typeof (value as { limit?: unknown }).limit === "function";

export function createCloudflareRateLimiter(binding: RateLimitBinding, periodSeconds = 60): RateLimiter {
  return {
    async limit(key) {
      const { success } = await binding.limit({ key });
      // The binding does not say when its window turns; a whole period is never too early.
      return { allowed: success, retryAfterSeconds: periodSeconds };
    },
  };
}
