/** Incident record field → `incidents` column, for the fields stored as they are. */
export const plainColumns = {
  number: "number",
  title: "title",
  description: "description",
  status: "status",
  urgency: "urgency",
  priority: "priority",
  service: "service",
  escalationPolicy: "escalation_policy",
  createdOn: "opened_at",
  acknowledgedOn: "acknowledged_at",
  resolvedOn: "resolved_at",
  assignee: "assignee",
  runbook: "runbook",
} as const;
