/** The service graph: entities (services, databases, teams, hosts, …) and typed edges between them. */
import { z } from "zod";
import { defineColumns } from "../../read/columns";
import type { JsonValue } from "../../types";

/** "svc:checkout-api", "host:ip-10-0-3-17": a lowercase prefix, a colon, then no spaces and no "|". */
export const entityKey = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*:[^\s|]{1,200}$/, 'Expected a key such as "svc:checkout-api".');
const attributes = z.record(z.string(), z.json()).optional();

export const entitySource = z.strictObject({
  key: entityKey,
  type: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'Expected a type such as "service".'),
  name: z.string().trim().min(1).max(200),
  attributes,
});

export const edgeSource = z.strictObject({
  from: entityKey,
  to: entityKey,
  type: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'Expected a type such as "depends_on".'),
  attributes,
});

export interface EntityFields {
  key: string;
  type: string;
  name: string;
  attributes: Record<string, JsonValue>;
}

export interface EdgeFields {
  from: string;
  to: string;
  type: string;
  attributes: Record<string, JsonValue>;
}

export type GraphFields = EntityFields | EdgeFields;

export const entityColumns = defineColumns(
  { key: ["id", "entity"], type: ["kind"], name: ["label", "display name"], attributes: ["attrs"] },
  ["key", "type", "name"],
);
export const edgeColumns = defineColumns(
  { from: ["source", "src"], to: ["target", "dst"], type: ["relation", "kind"], attributes: ["attrs"] },
  ["from", "to", "type"],
);
