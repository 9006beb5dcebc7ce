import type { RouteHandler } from "@hono/zod-openapi";
import type { TelemetryEvent } from "../../../shared/db/schema";
import { listTenantEvents } from "../../../shared/telemetry/events-read";
import { ingestClientEvents } from "../../../shared/telemetry/ingest";
import { requestStats } from "../../../shared/telemetry/request-stats";
import type { AppEnv } from "../../app-env";
import type { ingestRoute, listEventsRoute, requestStatsRoute } from "./telemetry.routes";

const present = (e: TelemetryEvent) => ({
  id: e.clientEventId ?? e.id,
  source: e.source,
  name: e.kind,
  at: e.at.toISOString(),
  actor: e.actor,
  screen: e.source === "client" ? e.subject || null : null,
  actionId: e.actionId,
  receiptId: e.source === "action" ? e.id : e.receiptId,
  decisionId: e.decisionId,
  properties: e.props,
});

const date = (value: string | undefined) => (value ? new Date(value) : undefined);

export const ingest: RouteHandler<typeof ingestRoute, AppEnv> = async (c) =>
  c.json(await ingestClientEvents({ ctx: c.get("tenantCtx"), input: c.req.valid("json") }), 200);

export const list: RouteHandler<typeof listEventsRoute, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const page = await listTenantEvents({
    ctx: c.get("tenantCtx"),
    input: { ...q, from: date(q.from), to: date(q.to) },
  });
  return c.json({ items: page.items.map(present), nextCursor: page.nextCursor }, 200);
};

export const requests: RouteHandler<typeof requestStatsRoute, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  return c.json(
    await requestStats({ ctx: c.get("tenantCtx"), input: { from: new Date(q.from), to: new Date(q.to) } }),
    200,
  );
};
