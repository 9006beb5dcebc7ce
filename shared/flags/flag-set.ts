/**
 * The flag set as evaluation reads it: from this process's cache, reloaded when older than
 * 30 s, dropped at once by a change made here. Another process (another Workers isolate, another
 * Node server) sees a change within 30 s.
 */
import type { Ctx } from "../context/context";
import type { Flag } from "../db/schema";
import { flagSetDigest } from "./digest";
import { listFlagRows } from "./flag-repo";

export const flagSetMaxAgeMs = 30_000;
const cacheKey = "flags:set";

export interface FlagSet {
  flags: ReadonlyMap<string, Flag>;
  /** Digest of the whole set (see digest.ts): parity compares it; ETags derive from it. */
  digest: string;
}

async function readFlagSet(ctx: Pick<Ctx, "db">): Promise<FlagSet> {
  const rows = await listFlagRows(ctx.db);
  return { flags: new Map(rows.map((r) => [r.key, r])), digest: flagSetDigest(rows) };
}

export function loadFlagSet(ctx: Pick<Ctx, "db" | "cache">): Promise<FlagSet> {
  return ctx.cache ? ctx.cache.get(cacheKey, flagSetMaxAgeMs, () => readFlagSet(ctx)) : readFlagSet(ctx);
}

/** Called after a change commits. */
export function invalidateFlagSet(ctx: Pick<Ctx, "cache">): void {
  ctx.cache?.invalidate(cacheKey);
}
