import { sql } from "drizzle-orm";
import type { Ctx } from "../context/context";

async function timed(check: () => Promise<unknown>) {
  const started = Date.now();
  try {
    await check();
    return { ok: true, latencyMs: Date.now() - started };
  } catch (error) {
    return {
      ok: false,
      latencyMs: Date.now() - started,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/** Ready when the database answers a query and the object store answers a request. */
export async function checkReadiness({ ctx }: { ctx: Pick<Ctx, "db" | "store"> }) {
  const [database, objectStore] = await Promise.all([
    timed(() => ctx.db.execute(sql`select 1`)),
    timed(() => ctx.store.ping()),
  ]);
  return {
    status: database.ok && objectStore.ok ? ("ready" as const) : ("not_ready" as const),
    checks: { database, objectStore },
  };
}
