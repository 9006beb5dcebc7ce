/** The tenant's telemetry events (client and action), newest first, cursor pages. */
import type { TenantCtx } from "../context/context";
import { decodeCursor, encodeCursor } from "../pagination/cursor";
import { type EventFilter, listEvents } from "./events-repo";

export async function listTenantEvents({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: EventFilter & { limit: number; cursor?: string };
}) {
  const { limit, cursor, ...filter } = input;
  const rows = await listEvents(ctx.db, ctx.tenant.id, filter, { limit, before: decodeCursor(cursor) });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.at, id: last.id }) : null,
  };
}
