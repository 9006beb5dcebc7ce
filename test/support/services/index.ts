/**
 * services: the service catalogue, from a CSV with `key,name,owner_email,tier`, built exactly
 * as docs/importers.md says (the test tier registers it: recipe.ts). key = `key`, entity
 * "service", fields = { key, name, ownerEmail, tier }: every field present, null when empty.
 * Tier is one of critical, standard, best-effort (lowercased); a bad owner email is
 * `invalid_email`.
 */
import { z } from "zod";
import { csvImporter } from "../../../shared/imports/importers/csv-importer";
import { defineColumns } from "../../../shared/imports/read/columns";
import type { ImportKindEntry } from "../../../shared/imports/registry";
import { tableState } from "../../../shared/imports/state/table-state";
import { services } from "./table";

const columns = defineColumns(
  {
    key: ["service", "service_key"],
    name: ["service_name"],
    ownerEmail: ["owner", "owner_email"],
    tier: [],
  },
  ["key", "name", "tier"],
);

const serviceFields = z.object({
  key: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "Use lowercase letters, digits, '.', '_' or '-'."),
  name: z.string(),
  ownerEmail: z
    .email()
    .transform((email) => email.toLowerCase())
    .nullable(),
  tier: z.preprocess(
    (value) => (typeof value === "string" ? value.toLowerCase() : value),
    z.enum(["critical", "standard", "best-effort"]),
  ),
});

export const servicesImporter = csvImporter({
  kind: "services",
  version: "1",
  columns,
  schema: serviceFields,
  key: (fields) => fields.key,
  entity: "service",
});

export const servicesState = tableState({
  kind: "services",
  table: services,
  idPrefix: "svc",
  key: "key",
  fields: { key: "key", name: "name", ownerEmail: "ownerEmail", tier: "tier" },
});

export const servicesKind: ImportKindEntry = {
  importer: servicesImporter,
  state: servicesState,
  tables: [services],
};
