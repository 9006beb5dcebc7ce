/**
 * `POST /v1/telemetry/events`: a batch of client events, each validated on its own. Good events
 * are stored, attributed to the caller, and deduplicated by event id within the tenant (a
 * resent event, or the same id twice in one batch, is a duplicate, not an error); bad ones are
 * refused with their index and why. Cedar `sendTelemetry` on the tenant, once per batch.
 * Events are observations, not actions: they leave no receipt (a deny does, as always).
 */
import type { TenantCtx } from "../context/context";
import { enforce } from "../policy/authorize";
import { jsonDigest } from "../receipts/hashing";
import { actorRef } from "../receipts/receipt-id";
import { type ClientEventInput, checkEvent, type Refusal } from "./client-event";
import { insertNewEvents } from "./events-repo";

export interface IngestResult {
  accepted: number;
  duplicates: string[];
  refused: Refusal[];
}

/** The stored id: the client's id, scoped to the tenant. */
export const storedEventId = (tenantId: string, eventId: string) =>
  `cev_${jsonDigest([tenantId, eventId]).slice(0, 40)}`;

export async function ingestClientEvents({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { events: unknown[] };
}): Promise<IngestResult> {
  await enforce({
    ctx,
    input: {
      action: "sendTelemetry",
      resource: { type: "Tenant", id: ctx.tenant.id, tenantId: ctx.tenant.id },
    },
  });
  const now = ctx.clock.now();
  const refused: Refusal[] = [];
  const duplicates: string[] = [];
  const good = new Map<string, ClientEventInput>();
  input.events.forEach((raw, index) => {
    const checked = checkEvent(raw, index, now);
    if ("errors" in checked) refused.push(checked);
    else if (good.has(checked.id)) duplicates.push(checked.id);
    else good.set(checked.id, checked);
  });
  const actor = actorRef(ctx.actor);
  const rows = [...good.values()].map((e) => ({
    id: storedEventId(ctx.tenant.id, e.id),
    tenantId: ctx.tenant.id,
    source: "client" as const,
    clientEventId: e.id,
    kind: e.name,
    actor,
    subject: e.screen ?? "",
    actionId: e.actionId ?? null,
    receiptId: e.receiptId ?? null,
    decisionId: e.decisionId ?? null,
    props: e.properties ?? {},
    at: new Date(e.at),
    receivedAt: now,
  }));
  const stored = await insertNewEvents(ctx.db, rows);
  for (const row of rows) if (!stored.has(row.id)) duplicates.push(row.clientEventId);
  return { accepted: stored.size, duplicates, refused };
}
