/**
 * Incidents: open, acknowledge, resolve (Cedar `respondIncident`, operators). Imported
 * incidents keep their historical timestamps: a transition only fills what is still empty.
 */
import type { TenantCtx } from "../../context/context";
import type { Incident } from "../../db/schema";
import { AppError } from "../../errors/app-error";
import { newId } from "../../ids/ids";
import { decodeCursor, pageOf } from "../../pagination/cursor";
import { gated } from "../events/gated";
import { incidentView } from "./incident-view";
import {
  findIncident,
  incidentLinks,
  insertIncident,
  linksOfIncidents,
  listIncidentRows,
  updateIncident,
} from "./incidents-repo";

const resource = (ctx: TenantCtx, id: string) => ({ type: "Incident" as const, id, tenantId: ctx.tenant.id });

export async function openIncident({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { title: string; severity: string; service: string; description?: string };
}) {
  const id = newId("inc");
  const now = ctx.clock.now();
  const done = await gated(ctx, { action: "respondIncident", resource: resource(ctx, id) }, async (tx) => {
    const row = await insertIncident(tx.db, {
      id,
      tenantId: ctx.tenant.id,
      key: id,
      title: input.title,
      description: input.description ?? null,
      severity: input.severity,
      service: input.service,
      status: "triggered",
      openedAt: now,
      source: "api",
    });
    const facts = { id, title: input.title, severity: input.severity, service: input.service };
    return { result: row, actions: [{ kind: "incident.opened", subject: `incident:${id}`, facts }] };
  });
  return { incident: incidentView(done.result, { runbookRuns: [], commands: [] }), ...ids(done) };
}

const ids = (d: { receiptId: string; decisionId: string }) => ({
  receiptId: d.receiptId,
  decisionId: d.decisionId,
});

export async function getIncident({ ctx, id }: { ctx: TenantCtx; id: string }) {
  const row = await mustFind(ctx, id);
  return incidentView(row, await incidentLinks(ctx.db, ctx.tenant.id, id));
}

export async function listIncidents({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { limit: number; cursor?: string; status?: Incident["status"] };
}) {
  const rows = await listIncidentRows(ctx.db, ctx.tenant.id, { ...input, after: decodeCursor(input.cursor) });
  const page = pageOf(rows, input.limit);
  const links = await linksOfIncidents(
    ctx.db,
    ctx.tenant.id,
    page.items.map((r) => r.id),
  );
  const none = { runbookRuns: [], commands: [] };
  return {
    items: page.items.map((r) => incidentView(r, links.get(r.id) ?? none)),
    nextCursor: page.nextCursor,
  };
}

async function mustFind(ctx: TenantCtx, id: string, db = ctx.db, lock = false) {
  const row = await findIncident(db, ctx.tenant.id, id, lock);
  if (!row) throw new AppError("not_found", `No incident ${id} in this tenant.`);
  return row;
}

/** Acknowledge (triggered → acknowledged) or resolve (→ resolved, optionally with a final severity). */
export async function transitionIncident({
  ctx,
  id,
  input,
}: {
  ctx: TenantCtx;
  id: string;
  input: { to: "acknowledged" | "resolved"; severity?: string; resolution?: string };
}) {
  await mustFind(ctx, id);
  const done = await gated(ctx, { action: "respondIncident", resource: resource(ctx, id) }, async (tx) => {
    const row = await mustFind(tx, id, tx.db, true);
    if (row.status === "resolved" || row.status === input.to) {
      throw new AppError("conflict", `Incident ${id} is already ${row.status}.`);
    }
    const now = ctx.clock.now();
    const patch =
      input.to === "acknowledged"
        ? { status: input.to, acknowledgedAt: row.acknowledgedAt ?? now }
        : {
            status: input.to,
            acknowledgedAt: row.acknowledgedAt ?? now,
            resolvedAt: row.resolvedAt ?? now,
            ...(input.severity ? { severity: input.severity } : {}),
          };
    const updated = await updateIncident(tx.db, ctx.tenant.id, id, { ...patch, updatedAt: now });
    const facts = { id, to: input.to, severity: updated.severity, resolution: input.resolution ?? null };
    const kind = input.to === "acknowledged" ? "incident.acknowledged" : "incident.resolved";
    return { result: updated, actions: [{ kind, subject: `incident:${id}`, facts }] };
  });
  const links = await incidentLinks(ctx.db, ctx.tenant.id, id);
  return { incident: incidentView(done.result, links), ...ids(done) };
}
