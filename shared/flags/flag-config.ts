/** Checks across a configuration's fields that a schema cannot: every name refers to a variant. */
import type { FlagConfig, FlagValue } from "../db/schema";
import { AppError } from "../errors/app-error";

export const flagKeyPattern = /^[a-z0-9][a-z0-9._-]{0,99}$/;

const fitsType = (type: FlagConfig["type"], value: FlagValue): boolean => {
  switch (type) {
    case "boolean":
      return typeof value === "boolean";
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
  }
};

/** Every problem at once, as `errors[]` of a 422. */
export function checkFlagConfig(config: FlagConfig): void {
  const errors: { pointer: string; detail: string }[] = [];
  const names = Object.keys(config.variants);
  const known = (name: string) => Object.hasOwn(config.variants, name);
  if (names.length === 0) errors.push({ pointer: "/variants", detail: "at least one variant is needed" });
  for (const [name, value] of Object.entries(config.variants)) {
    if (!fitsType(config.type, value)) {
      errors.push({ pointer: `/variants/${name}`, detail: `the value is not of type ${config.type}` });
    }
  }
  if (!known(config.defaultVariant)) {
    errors.push({ pointer: "/defaultVariant", detail: `no variant is named '${config.defaultVariant}'` });
  }
  config.rollout?.variants.forEach((v, i) => {
    if (!known(v.name))
      errors.push({ pointer: `/rollout/variants/${i}/name`, detail: `no variant is named '${v.name}'` });
  });
  if (config.rollout && config.rollout.variants.reduce((sum, v) => sum + v.weight, 0) <= 0) {
    errors.push({ pointer: "/rollout/variants", detail: "the weights must add up to more than 0" });
  }
  for (const field of ["tenantOverrides", "operatorOverrides"] as const) {
    for (const [id, variant] of Object.entries(config[field])) {
      if (!known(variant))
        errors.push({ pointer: `/${field}/${id}`, detail: `no variant is named '${variant}'` });
    }
  }
  if (errors.length > 0) {
    throw new AppError("unprocessable", "The flag configuration refers to things it does not define.", {
      errors: errors.map((e) => ({
        pointer: e.pointer,
        in: "body" as const,
        code: "unknown_reference",
        message: e.detail,
      })),
    });
  }
}
