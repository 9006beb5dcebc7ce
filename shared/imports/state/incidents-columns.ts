import type { incidents } from "../../db/schema";
import type { ColumnKey } from "./recordset";

/** Incident record field → `incidents` column (its drizzle property), for the fields stored as they are. */
export const plainColumns = {
  number: "number",
  title: "title",
  description: "description",
  status: "status",
  urgency: "urgency",
  priority: "priority",
  service: "service",
  escalationPolicy: "escalationPolicy",
  createdOn: "openedAt",
  acknowledgedOn: "acknowledgedAt",
  resolvedOn: "resolvedAt",
  assignee: "assignee",
  runbook: "runbook",
} as const satisfies Record<string, ColumnKey<typeof incidents>>;
