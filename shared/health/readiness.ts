import { sql } from "drizzle-orm";
import type { Ctx } from "../context/context";

/** A probe that has not answered by then counts as failed. */
const probeTimeoutMs = 3000;

/** What a readiness check shows publicly: pass or fail, never why (that is in the log). */
export type CheckResult = "ok" | "failed";

/**
 * Runs one dependency check. A failure's message can name hosts, users or buckets, so it
 * goes to the log (whose lines carry the request id), not into the public answer.
 */
async function check(
  ctx: Pick<Ctx, "logger">,
  dependency: string,
  probe: () => Promise<unknown>,
): Promise<CheckResult> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    // A dependency that does not answer is as failed as one that refuses.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${probeTimeoutMs} ms`)), probeTimeoutMs);
    });
    await Promise.race([probe(), timeout]);
    return "ok";
  } catch (error) {
    ctx.logger.error("readiness check failed", {
      dependency,
      latencyMs: Date.now() - started,
      error: error instanceof Error ? error.message : String(error),
    });
    return "failed";
  } finally {
    clearTimeout(timer);
  }
}

/** Ready when the database answers a query and the object store answers a request. */
export async function checkReadiness({ ctx }: { ctx: Pick<Ctx, "db" | "store" | "logger"> }) {
  const [database, objectStore] = await Promise.all([
    check(ctx, "database", () => ctx.db.execute(sql`select 1`)),
    check(ctx, "objectStore", () => ctx.store.ping()),
  ]);
  return {
    status: database === "ok" && objectStore === "ok" ? ("ready" as const) : ("not_ready" as const),
    checks: { database, objectStore },
  };
}
