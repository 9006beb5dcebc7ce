/** A launch's inputs against the runbook's declared ones, and `{{ name }}` filled into step params. */

import { AppError, type FieldProblem } from "../../errors/app-error";
import type { RunbookFields } from "../../imports/importers/runbooks/schema";

type Scalar = string | number | boolean | null;

export function resolveInputs(runbook: RunbookFields, given: Record<string, Scalar>): Record<string, Scalar> {
  const declared = new Map(runbook.inputs.map((i) => [i.name, i]));
  const problems: FieldProblem[] = [];
  for (const name of Object.keys(given)) {
    if (!declared.has(name)) {
      const known = [...declared.keys()].join(", ") || "none";
      problems.push({
        pointer: `/inputs/${name}`,
        in: "body",
        code: "unknown_input",
        message: `The runbook declares no input "${name}" (declared: ${known}).`,
      });
    }
  }
  const values: Record<string, Scalar> = {};
  for (const input of runbook.inputs) {
    const value = given[input.name] ?? input.default;
    if (value === null || value === undefined || value === "") {
      if (input.required) {
        problems.push({
          pointer: `/inputs/${input.name}`,
          in: "body",
          code: "missing_input",
          message: `Input "${input.name}" is required.`,
        });
      }
      continue;
    }
    values[input.name] = value;
  }
  if (problems.length > 0) {
    throw new AppError("validation_failed", "The runbook's inputs are not valid for this launch.", {
      errors: problems,
    });
  }
  return values;
}

const template = /\{\{\s*([^}]*?)\s*\}\}/g;

export function fillParams(params: Record<string, unknown>, values: Record<string, Scalar>) {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    out[key] =
      typeof value === "string"
        ? value.replace(template, (_, name: string) => String(values[name] ?? ""))
        : value;
  }
  return out;
}
