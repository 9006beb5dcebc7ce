/** A runbook as partners write it (YAML or JSON), and the normalized record stored. */
import { z } from "zod";

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,127}$/, "Use lowercase letters, digits, '.', '_' or '-' (at most 128).");
const title = z.string().trim().min(1).max(200);
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** "90s", "10m", "1h30m" or a number of seconds; at most a week. */
export function durationSeconds(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  const match = /^(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?$/.exec(value.trim());
  if (!match || value.trim() === "") return undefined;
  const [, h = "0", m = "0", s = "0"] = match;
  const seconds = Number(h) * 3600 + Number(m) * 60 + Number(s);
  return seconds > 0 ? seconds : undefined;
}
const duration = z
  .union([z.string(), z.number()])
  .refine((v) => (durationSeconds(v) ?? Infinity) <= 7 * 24 * 3600, {
    message: 'Expected a duration such as "90s", "10m" or "1h30m" (at most 7 days).',
    params: { code: "invalid_duration" },
  });

const stepBase = {
  id: slug,
  title,
  description: z.string().optional(),
  requires_approval: z.boolean().optional(),
  timeout: duration.optional(),
};
export const runbookStep = z.discriminatedUnion("kind", [
  z.strictObject({ ...stepBase, kind: z.literal("manual") }),
  z.strictObject({
    ...stepBase,
    kind: z.literal("command"),
    command: z
      .string()
      .regex(/^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/, 'Expected a command name such as "service.restart".'),
    params: z.record(z.string(), scalar).optional(),
  }),
]);

export const runbookInput = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "Expected an identifier such as zone or service_name."),
  required: z.boolean().optional(),
  description: z.string().optional(),
  default: scalar.optional(),
});

export const runbookSource = z.strictObject({
  id: slug,
  title,
  version: z.number().int().positive(),
  owner: z.email().optional(),
  service: z.string().min(1).optional(),
  description: z.string().optional(),
  severity: z.array(z.string().min(1)).optional(),
  tags: z.array(z.string().min(1)).optional(),
  inputs: z.array(runbookInput).optional(),
  steps: z.array(runbookStep).min(1),
});
export type RunbookSource = z.output<typeof runbookSource>;

type Scalar = z.output<typeof scalar>;

export interface RunbookStepFields {
  id: string;
  title: string;
  kind: "manual" | "command";
  description: string | null;
  requiresApproval: boolean;
  timeoutSeconds: number | null;
  command?: string;
  params?: Record<string, Scalar>;
}

/** Normalized: every optional member present (null / [] / false), camelCase, timeouts in seconds. */
export interface RunbookFields {
  id: string;
  title: string;
  version: number;
  owner: string | null;
  service: string | null;
  description: string | null;
  severity: string[];
  tags: string[];
  inputs: { name: string; required: boolean; description: string | null; default: Scalar }[];
  steps: RunbookStepFields[];
}
