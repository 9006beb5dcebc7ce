/**
 * Identity CSVs → operator records. With a `role` column (one role per row, as in
 * roles.csv) rows are merged per email: one record with the union of roles, at the row of
 * the email's first appearance, emitted after the whole file is read (memory grows with the
 * number of distinct people). Otherwise one row is one record, streamed.
 */
import { type ResolvedColumns, resolveColumns, rowValues } from "../../read/columns";
import { openCsv } from "../../read/csv-reader";
import type { ImportInput, MappedRecord, ReadResult } from "../../types";
import { cell, finish, type MapContext, zodReject } from "../map";
import { type IdentityColumn, identityColumns } from "./columns";
import {
  enabledOf,
  type IdentityOptions,
  isRole,
  type OperatorFields,
  type OperatorRole,
  operatorFields,
  rolesFromGroups,
  sortedSet,
  statusOf,
} from "./schema";

type Values = Partial<Record<IdentityColumn, string>>;
const profile = [
  "username",
  "displayName",
  "givenName",
  "familyName",
  "title",
  "department",
  "manager",
  "sourceId",
] as const;

const lowerIfEmail = (value: string | null) => (value?.includes("@") ? value.toLowerCase() : value);
const list = (value: string | undefined) => sortedSet((value ?? "").split(";").flatMap((v) => cell(v) ?? []));

function mapRow(
  ctx: MapContext,
  row: number,
  values: Values,
  columns: ResolvedColumns<IdentityColumn>,
  options: IdentityOptions,
): ReadResult<OperatorFields> {
  const fail = (column: IdentityColumn, code: string, message: string): ReadResult<OperatorFields> => ({
    ok: false,
    error: { row, column: ctx.columnOf?.(column) ?? column, code, message },
  });
  const fields: Record<string, unknown> = {};
  const username = lowerIfEmail(cell(values.username));
  fields.email = (cell(values.email) ?? (username?.includes("@") ? username : null))?.toLowerCase();
  for (const name of profile) if (columns.has(name)) fields[name] = cell(values[name]);
  if (columns.has("username")) fields.username = username;
  if (columns.has("manager")) fields.manager = lowerIfEmail(cell(values.manager));
  if (!cell(values.displayName)) {
    const joined = [cell(values.givenName), cell(values.familyName)].filter(Boolean).join(" ");
    if (joined) fields.displayName = joined;
  }

  const statuses: ("active" | "suspended")[] = [];
  const status = cell(values.status);
  if (status !== null) {
    const mapped = statusOf(status);
    if (!mapped) return fail("status", "invalid_value", `Unknown status "${status}".`);
    statuses.push(mapped);
  }
  const enabled = cell(values.enabled);
  if (enabled !== null) {
    const mapped = enabledOf(enabled);
    if (!mapped) return fail("enabled", "invalid_value", `Expected True or False, got "${enabled}".`);
    statuses.push(mapped);
  }
  if (statuses.length > 0) fields.status = statuses.includes("suspended") ? "suspended" : "active";

  const groups = list(values.groups);
  if (columns.has("groups")) fields.groups = groups;
  const named = [...list(values.roles), ...(cell(values.role) ? [cell(values.role) ?? ""] : [])];
  const roles: OperatorRole[] = [];
  for (const name of named) {
    const role = name.toLowerCase();
    if (!isRole(role))
      return fail(columns.has("role") ? "role" : "roles", "unknown_role", `Unknown role "${name}".`);
    roles.push(role);
  }
  roles.push(...rolesFromGroups(groups, options.groupRoleMap));
  if (columns.has("role") || columns.has("roles") || (columns.has("groups") && options.groupRoleMap)) {
    fields.roles = sortedSet(roles);
  }

  const parsed = operatorFields.safeParse(fields);
  if (!parsed.success) return zodReject(ctx, row, parsed.error, fields);
  return finish(ctx, { row, key: parsed.data.email, entity: "operator", fields: { ...parsed.data } });
}

export async function* readIdentityCsv(
  input: ImportInput,
  ctx: MapContext,
  options: IdentityOptions,
): AsyncGenerator<ReadResult<OperatorFields>> {
  const table = await openCsv(input.bytes, ctx.limits);
  const columns = resolveColumns(table.headers, identityColumns, input.mapping);
  const mapCtx: MapContext = {
    ...ctx,
    columnOf: (field) =>
      columns.sourceOf[field as IdentityColumn] ??
      (field === "email" ? columns.sourceOf.username : undefined),
  };
  const merged = columns.has("role") ? new Map<string, MappedRecord<OperatorFields>>() : undefined;
  for await (const result of table.rows) {
    const mapped = result.ok
      ? mapRow(mapCtx, result.row, rowValues(columns, result.cells), columns, options)
      : result;
    if (!merged || !mapped.ok) {
      yield mapped;
      continue;
    }
    const first = merged.get(mapped.value.key);
    if (!first) merged.set(mapped.value.key, mapped.value);
    else
      first.fields.roles = sortedSet([...(first.fields.roles ?? []), ...(mapped.value.fields.roles ?? [])]);
  }
  if (merged) for (const value of merged.values()) yield { ok: true, value };
}
