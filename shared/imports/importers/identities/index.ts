/**
 * identities: people who act in a tenant (operators), from
 * - CSV: Okta user exports, Entra ID bulk downloads, role sheets (email,role), or any CSV
 *   whose headers match the aliases in columns.ts (or are mapped explicitly);
 * - SCIM 2.0 JSON: a ListResponse of Users and Groups.
 *
 * One record per person: key = email (lowercased, validated), entity "operator",
 * fields = OperatorFields (schema.ts). Status: Okta SUSPENDED/DEPROVISIONED/LOCKED_OUT,
 * Entra accountEnabled False and SCIM active false → "suspended". Roles: a role column
 * (one per row, rows merged per email), a roles column (";"-joined) and IdP groups (";"-joined
 * in CSV, Group members in SCIM) through the `groupRoleMap` option; unknown role names are
 * `unknown_role`. Fields the file does not carry are absent, not null: the diff must only
 * compare the keys a record has.
 */
import { resolveLimits } from "../../limits";
import type { Importer, ImportInput, ReadResult } from "../../types";
import { checkFormat, type MapContext, parseOptions } from "../map";
import { readIdentityCsv } from "./csv";
import { identityOptions, type OperatorFields } from "./schema";
import { readScim } from "./scim";

export type { OperatorFields } from "./schema";
export { operatorRoles } from "./schema";

export const identitiesImporter: Importer<OperatorFields> = {
  kind: "identities",
  version: "1",
  formats: ["csv", "scim"],
  read(input: ImportInput): AsyncIterable<ReadResult<OperatorFields>> {
    return readIdentities(input);
  },
};

async function* readIdentities(input: ImportInput): AsyncGenerator<ReadResult<OperatorFields>> {
  checkFormat("identities", input.format, identitiesImporter.formats);
  const options = parseOptions(identityOptions, input.options);
  const ctx: MapContext = { limits: resolveLimits(input.limits) };
  if (input.format === "scim") yield* readScim(input, ctx, options);
  else yield* readIdentityCsv(input, ctx, options);
}
