/** Runbook source → RunbookFields, with the checks zod cannot express alone. */
import type { ReadResult } from "../../types";
import { finish, type MapContext, zodReject } from "../map";
import { durationSeconds, type RunbookFields, type RunbookSource, runbookSource } from "./schema";

const template = /\{\{\s*([^}]*?)\s*\}\}/g;

/** Names used as "{{ name }}" in a value. */
export const templateNames = (value: string) => [...value.matchAll(template)].map((m) => m[1] ?? "");

function normalize(source: RunbookSource): RunbookFields {
  return {
    id: source.id,
    title: source.title,
    version: source.version,
    owner: source.owner?.toLowerCase() ?? null,
    service: source.service ?? null,
    description: source.description ?? null,
    severity: source.severity ?? [],
    tags: source.tags ?? [],
    inputs: (source.inputs ?? []).map((input) => ({
      name: input.name,
      required: input.required ?? false,
      description: input.description ?? null,
      default: input.default ?? null,
    })),
    steps: source.steps.map((step) => ({
      id: step.id,
      title: step.title,
      kind: step.kind,
      description: step.description ?? null,
      requiresApproval: step.requires_approval ?? false,
      timeoutSeconds: step.timeout === undefined ? null : (durationSeconds(step.timeout) ?? null),
      ...(step.kind === "command" ? { command: step.command, params: step.params ?? {} } : {}),
    })),
  };
}

export function mapRunbook(ctx: MapContext, row: number, value: unknown): ReadResult<RunbookFields> {
  const parsed = runbookSource.safeParse(value);
  if (!parsed.success) return zodReject(ctx, row, parsed.error, value);
  const source = parsed.data;
  const fail = (column: string, code: string, message: string, hint?: string): ReadResult<RunbookFields> => ({
    ok: false,
    error: hint ? { row, column, code, message, hint } : { row, column, code, message },
  });

  const inputs = new Set<string>();
  for (const [i, input] of (source.inputs ?? []).entries()) {
    if (inputs.has(input.name))
      return fail(`/inputs/${i}/name`, "duplicate_input", `Input "${input.name}" is declared twice.`);
    inputs.add(input.name);
  }
  const steps = new Set<string>();
  for (const [i, step] of source.steps.entries()) {
    if (steps.has(step.id))
      return fail(`/steps/${i}/id`, "duplicate_step", `Step "${step.id}" appears twice.`);
    steps.add(step.id);
    if (step.kind !== "command") continue;
    for (const [param, paramValue] of Object.entries(step.params ?? {})) {
      if (typeof paramValue !== "string") continue;
      const unknown = templateNames(paramValue).find((name) => !inputs.has(name));
      if (unknown !== undefined) {
        const declared =
          inputs.size > 0 ? `Declared inputs: ${[...inputs].join(", ")}.` : "The runbook declares no inputs.";
        return fail(
          `/steps/${i}/params/${param.replaceAll("~", "~0").replaceAll("/", "~1")}`,
          "unknown_input",
          `"{{ ${unknown} }}" does not name a declared input.`,
          `${declared} Add it under inputs.`,
        );
      }
    }
  }
  const fields = normalize(source);
  return finish(ctx, { row, key: fields.id, entity: "runbook", fields });
}
