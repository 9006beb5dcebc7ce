/** An incident as PagerDuty-style exports give it, and the record stored. */
import { z } from "zod";
import { defineColumns } from "../../read/columns";

export const incidentColumns = defineColumns(
  {
    id: ["incident id"],
    number: ["incident_number", "incident number"],
    title: ["summary"],
    description: ["details"],
    status: [],
    urgency: [],
    priority: [],
    service: ["service_name", "service name"],
    escalationPolicy: ["escalation_policy_name", "escalation policy", "escalation_policy"],
    createdOn: ["created_on", "created_at", "created"],
    acknowledgedOn: ["acknowledged_on", "acknowledged_at", "acknowledged"],
    resolvedOn: ["resolved_on", "resolved_at", "resolved"],
    assignee: ["assigned_to", "assigned to", "assignee_email"],
    runbook: ["runbook_id", "runbook id"],
  },
  ["id", "title", "status", "createdOn"],
);
export type IncidentColumn = (typeof incidentColumns.fields)[number];

/** ISO 8601 with a date, a time and an offset; a local time without offset is ambiguous. */
const isoTimestamp =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})$/;

const daysIn = (year: number, month: number) =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31;

const digits = (text: string, from: number, to: number) => {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
};

const isRealInstant = (y: number, mo: number, d: number, h: number, mi: number, s: number) =>
  y >= 1900 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo) && h <= 23 && mi <= 59 && s <= 59;

/** `2026-10-03T14:02:11Z`, the form exports mostly use and the one stored. */
const canonicalShape = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** The instant as a canonical UTC ISO string, or undefined when the text is not a real one (2026-02-30, 24:00). */
export function canonicalTimestamp(text: string): string | undefined {
  // Already canonical (the common case): checked in place, no Date and no match array.
  if (text.length === 20 && canonicalShape.test(text)) {
    const real = isRealInstant(
      digits(text, 0, 4),
      digits(text, 5, 7),
      digits(text, 8, 10),
      digits(text, 11, 13),
      digits(text, 14, 16),
      digits(text, 17, 19),
    );
    return real ? text : undefined;
  }
  const match = isoTimestamp.exec(text);
  if (!match) return undefined;
  const y = Number(match[1]);
  const mo = Number(match[2]);
  const d = Number(match[3]);
  const h = Number(match[4]);
  const mi = Number(match[5]);
  const s = Number(match[6] ?? 0);
  if (!isRealInstant(y, mo, d, h, mi, s)) return undefined;
  const fraction = match[7] ?? "";
  const zone = (match[8] ?? "Z").toUpperCase();
  const ms = Number(fraction.slice(1, 4).padEnd(3, "0"));
  const offset =
    zone === "Z" ? 0 : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const iso = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000).toISOString();
  return ms === 0 ? `${iso.slice(0, 19)}Z` : iso;
}

const text = z.string().min(1).nullable();
/** Incident numbers are stored as a Postgres integer. */
const maxIncidentNumber = 2_147_483_647;
const runbookId = /^[a-z0-9][a-z0-9._-]{0,127}$/;

export const incidentFields = z.strictObject({
  id: z.string().min(1).max(200),
  number: z
    .number()
    .int()
    .nonnegative()
    .max(maxIncidentNumber, "Expected an incident number up to 2147483647.")
    .nullable(),
  title: z.string().min(1),
  description: text,
  status: z.enum(["triggered", "acknowledged", "resolved"]),
  urgency: z.enum(["high", "low"]).nullable(),
  priority: text,
  service: text,
  escalationPolicy: text,
  createdOn: z.string(),
  acknowledgedOn: z.string().nullable(),
  resolvedOn: z.string().nullable(),
  assignee: z.email().nullable(),
  runbook: z.string().regex(runbookId, "Expected a runbook id.").nullable(),
});
export type IncidentFields = z.output<typeof incidentFields>;

const statuses: ReadonlySet<unknown> = new Set(incidentFields.shape.status.options);
const urgencies: ReadonlySet<unknown> = new Set([null, ...incidentFields.shape.urgency.unwrap().options]);
const optionalText = (value: unknown) => value === null || (typeof value === "string" && value.length > 0);
const optionalString = (value: unknown) => value === null || typeof value === "string";

/**
 * Whether `fields`, as the mapper builds them (exactly the schema's keys), pass
 * `incidentFields` — the same checks without zod's per-field machinery, for the rows that
 * are fine (nearly all). A row that fails goes through zod for its error; a unit test
 * holds the two to the same answers.
 */
export function isValidIncident(fields: Record<keyof IncidentFields, unknown>): fields is IncidentFields {
  const { id, number, title, assignee, runbook } = fields;
  return (
    typeof id === "string" &&
    id.length >= 1 &&
    id.length <= 200 &&
    (number === null ||
      (Number.isSafeInteger(number) && (number as number) >= 0 && (number as number) <= maxIncidentNumber)) &&
    typeof title === "string" &&
    title.length >= 1 &&
    optionalText(fields.description) &&
    statuses.has(fields.status) &&
    urgencies.has(fields.urgency) &&
    optionalText(fields.priority) &&
    optionalText(fields.service) &&
    optionalText(fields.escalationPolicy) &&
    typeof fields.createdOn === "string" &&
    optionalString(fields.acknowledgedOn) &&
    optionalString(fields.resolvedOn) &&
    (assignee === null || (typeof assignee === "string" && z.regexes.email.test(assignee))) &&
    (runbook === null || (typeof runbook === "string" && runbookId.test(runbook)))
  );
}
