/**
 * The `telemetry-retention` cron task: raw client events are deleted once older than
 * TELEMETRY_EVENTS_RETENTION_DAYS (by the time they were received), request rollups once older
 * than TELEMETRY_ROLLUPS_RETENTION_DAYS. Events go 10,000 a statement, up to 100,000 a tick.
 */
import type { Ctx } from "../context/context";
import { deleteClientEventsBefore } from "./events-repo";
import { deleteRollupsBefore } from "./rollups-repo";

const day = 86_400_000;

export async function pruneTelemetry(ctx: Ctx): Promise<{ events: number; rollups: number }> {
  const { eventsDays = 30, rollupsDays = 400 } = ctx.telemetryRetention ?? {};
  const now = ctx.clock.now().getTime();
  let events = 0;
  for (let i = 0; i < 10; i++) {
    const n = await deleteClientEventsBefore(ctx.db, new Date(now - eventsDays * day), 10_000);
    events += n;
    if (n < 10_000) break;
  }
  const rollups = await deleteRollupsBefore(ctx.db, new Date(now - rollupsDays * day));
  return { events, rollups };
}
