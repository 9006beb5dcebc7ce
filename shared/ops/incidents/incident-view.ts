import type { Incident } from "../../db/schema";

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The API shape; `history` comes from the kept timestamps, so imported incidents show theirs. */
export function incidentView(r: Incident, links: { runbookRuns: string[]; commands: string[] }) {
  const history = [
    { event: "opened", at: r.openedAt.toISOString() },
    ...(r.acknowledgedAt ? [{ event: "acknowledged", at: r.acknowledgedAt.toISOString() }] : []),
    ...(r.resolvedAt ? [{ event: "resolved", at: r.resolvedAt.toISOString() }] : []),
  ];
  return {
    id: r.id,
    key: r.key,
    title: r.title,
    description: r.description,
    status: r.status,
    severity: r.severity,
    urgency: r.urgency,
    priority: r.priority,
    service: r.service,
    source: r.source,
    openedAt: r.openedAt.toISOString(),
    acknowledgedAt: iso(r.acknowledgedAt),
    resolvedAt: iso(r.resolvedAt),
    history,
    links,
  };
}

export type IncidentView = ReturnType<typeof incidentView>;
