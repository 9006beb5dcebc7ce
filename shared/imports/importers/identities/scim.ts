/**
 * SCIM 2.0 (RFC 7643/7644) → the same operator records as the CSVs. Accepts a ListResponse
 * (`Resources`), a bare array of resources, or one resource. Groups are not records: their
 * `members` (by user id) and a user's own `groups` give the user's groups, mapped to roles
 * through `groupRoleMap`. Absent SCIM attributes are null (RFC 7643 §2.5), so a SCIM record
 * states every profile field. Rows are item indexes in `Resources`.
 */
import { z } from "zod";
import { itemsOf, readDocument } from "../../read/documents";
import type { ImportInput, ReadResult } from "../../types";
import { finish, type MapContext, zodReject } from "../map";
import {
  type IdentityOptions,
  type OperatorFields,
  operatorFields,
  rolesFromGroups,
  sortedSet,
} from "./schema";

const userSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
const groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const optionalText = z.string().optional();
const scimUser = z.looseObject({
  id: optionalText,
  userName: z.string().min(1),
  displayName: optionalText,
  name: z
    .looseObject({ givenName: optionalText, familyName: optionalText, formatted: optionalText })
    .optional(),
  emails: z
    .array(z.looseObject({ value: z.string(), type: optionalText, primary: z.boolean().optional() }))
    .optional(),
  active: z.boolean().optional(),
  title: optionalText,
  groups: z.array(z.looseObject({ value: optionalText, display: optionalText })).optional(),
  [enterprise]: z
    .looseObject({ department: optionalText, manager: z.looseObject({ value: optionalText }).optional() })
    .optional(),
});
const scimGroup = z.looseObject({
  id: optionalText,
  displayName: z.string().min(1),
  members: z.array(z.looseObject({ value: z.string(), type: optionalText })).optional(),
});

function resourceType(value: unknown): "User" | "Group" | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const { schemas, meta } = value as { schemas?: unknown; meta?: { resourceType?: unknown } };
  if (Array.isArray(schemas) && schemas.includes(groupSchema)) return "Group";
  if (Array.isArray(schemas) && schemas.includes(userSchema)) return "User";
  const declared = meta?.resourceType;
  return declared === "User" || declared === "Group" ? declared : undefined;
}

/** Operator field → where it comes from in a SCIM User, for RowError.column. */
const scimPointer: Record<string, string> = {
  email: "/emails",
  username: "/userName",
  displayName: "/displayName",
  givenName: "/name/givenName",
  familyName: "/name/familyName",
  title: "/title",
  department: `/${enterprise}/department`,
  manager: `/${enterprise}/manager`,
  groups: "/groups",
  roles: "/groups",
  sourceId: "/id",
};

const orNull = (value: string | undefined) => (value?.trim() ? value.trim() : null);

export async function* readScim(
  input: ImportInput,
  ctx: MapContext,
  options: IdentityOptions,
): AsyncGenerator<ReadResult<OperatorFields>> {
  const doc = await readDocument(input.bytes, "scim", ctx.limits);
  const items = itemsOf(doc, ["Resources", "resources"], ctx.limits);
  const fieldsCtx: MapContext = { ...ctx, columnOf: (field) => scimPointer[field] ?? `/${field}` };
  const groupsOf = new Map<string, string[]>();
  const emailOf = new Map<string, string>();
  const users: { row: number; user: z.output<typeof scimUser> }[] = [];

  for (const { row, value } of items) {
    const type = resourceType(value);
    if (type === "Group") {
      const group = scimGroup.safeParse(value);
      if (!group.success) {
        yield zodReject(ctx, row, group.error, value);
        continue;
      }
      for (const member of group.data.members ?? []) {
        if (member.type !== undefined && member.type !== "User") continue;
        groupsOf.set(member.value, [...(groupsOf.get(member.value) ?? []), group.data.displayName]);
      }
    } else if (type === "User") {
      const user = scimUser.safeParse(value);
      if (!user.success) yield zodReject(ctx, row, user.error, value);
      else users.push({ row, user: user.data });
    } else {
      const message = "Not a SCIM User or Group (no core schema URN or meta.resourceType).";
      yield { ok: false, error: { row, column: "/schemas", code: "unsupported_resource", message } };
    }
  }
  for (const { user } of users) {
    const email = primaryEmail(user);
    if (user.id && email) emailOf.set(user.id, email);
  }

  for (const { row, user } of users) {
    const ext = user[enterprise];
    const groups = sortedSet([
      ...(user.id ? (groupsOf.get(user.id) ?? []) : []),
      ...(user.groups ?? []).flatMap((g) => (g.display ? [g.display] : [])),
    ]);
    const given = orNull(user.name?.givenName);
    const family = orNull(user.name?.familyName);
    const fields: Record<string, unknown> = {
      email: primaryEmail(user),
      username: user.userName.includes("@") ? user.userName.toLowerCase() : user.userName,
      displayName:
        orNull(user.displayName) ??
        orNull(user.name?.formatted) ??
        ([given, family].filter(Boolean).join(" ") || null),
      givenName: given,
      familyName: family,
      title: orNull(user.title),
      department: orNull(ext?.department),
      manager: ext?.manager?.value ? (emailOf.get(ext.manager.value) ?? null) : null,
      status: user.active === false ? "suspended" : "active",
      groups,
      sourceId: orNull(user.id),
    };
    if (options.groupRoleMap) fields.roles = sortedSet(rolesFromGroups(groups, options.groupRoleMap));
    const parsed = operatorFields.safeParse(fields);
    if (!parsed.success) {
      yield zodReject(fieldsCtx, row, parsed.error, fields);
      continue;
    }
    yield finish(fieldsCtx, { row, key: parsed.data.email, entity: "operator", fields: parsed.data });
  }
}

function primaryEmail(user: z.output<typeof scimUser>): string | undefined {
  const emails = user.emails ?? [];
  const chosen = emails.find((e) => e.primary) ?? emails.find((e) => e.type === "work") ?? emails[0];
  const value = chosen?.value ?? (user.userName.includes("@") ? user.userName : undefined);
  return value?.trim().toLowerCase();
}
