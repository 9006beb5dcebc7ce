/**
 * The in-memory `LocalCache`: one per platform. A load racing an invalidation is not kept, so
 * a change made in this process is seen by the next read here, never a stale copy.
 */
import type { Clock, LocalCache } from "./ports";

interface Entry {
  value: unknown;
  loadedAt: number;
}

export function createLocalCache(clock: Clock): LocalCache {
  const entries = new Map<string, Entry>();
  const generations = new Map<string, number>();
  return {
    async get<T>(key: string, maxAgeMs: number, load: () => Promise<T>): Promise<T> {
      const now = clock.now().getTime();
      const entry = entries.get(key);
      if (entry && now - entry.loadedAt < maxAgeMs) return entry.value as T;
      const generation = generations.get(key) ?? 0;
      const value = await load();
      if ((generations.get(key) ?? 0) === generation) entries.set(key, { value, loadedAt: now });
      return value;
    },
    invalidate(key: string) {
      entries.delete(key);
      generations.set(key, (generations.get(key) ?? 0) + 1);
    },
  };
}
