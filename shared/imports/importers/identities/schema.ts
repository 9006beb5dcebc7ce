/** What an identities record holds, and the option that maps IdP groups to roles. */
import { z } from "zod";

/** Same list as `roles` in shared/db/schema/api-keys.ts (a unit test keeps them equal). */
export const operatorRoles = [
  "admin",
  "operator",
  "approver",
  "auditor",
  "viewer",
  "pilot-ops",
  "flag-admin",
] as const;
export type OperatorRole = (typeof operatorRoles)[number];

const text = z.string().min(1).nullable().optional();

/**
 * One operator. A key that is absent means "this file says nothing about it" (leave it as
 * it is); null means "the file says it is empty". `roles` is present only when the file
 * carries role information (a role/roles column, or groups together with a groupRoleMap).
 */
export const operatorFields = z.strictObject({
  email: z.email(),
  username: text,
  displayName: text,
  givenName: text,
  familyName: text,
  title: text,
  department: text,
  manager: text,
  status: z.enum(["active", "suspended"]).optional(),
  roles: z.array(z.enum(operatorRoles)).optional(),
  groups: z.array(z.string().min(1)).optional(),
  sourceId: text,
});
export type OperatorFields = z.output<typeof operatorFields>;

export const identityOptions = z.object({
  /** IdP group display name → role, e.g. the partner's group-role-map.json. */
  groupRoleMap: z.record(z.string(), z.enum(operatorRoles)).optional(),
});
export type IdentityOptions = z.output<typeof identityOptions>;

/** Okta `Status` values; anything that blocks sign-in counts as suspended. */
const oktaStatus: Record<string, "active" | "suspended"> = {
  active: "active",
  provisioned: "active",
  staged: "active",
  recovery: "active",
  password_expired: "active",
  enabled: "active",
  suspended: "suspended",
  deprovisioned: "suspended",
  locked_out: "suspended",
  disabled: "suspended",
  inactive: "suspended",
};

export const statusOf = (value: string) => oktaStatus[value.trim().toLowerCase().replace(/[\s-]/g, "_")];

/** Entra `accountEnabled` and similar yes/no columns. */
export function enabledOf(value: string): "active" | "suspended" | undefined {
  const v = value.trim().toLowerCase();
  if (["true", "yes", "1", "enabled"].includes(v)) return "active";
  if (["false", "no", "0", "disabled"].includes(v)) return "suspended";
  return undefined;
}

export const isRole = (value: string): value is OperatorRole =>
  (operatorRoles as readonly string[]).includes(value);

/** Sorted, de-duplicated. */
export const sortedSet = <T extends string>(values: Iterable<T>): T[] => [...new Set(values)].sort();

export function rolesFromGroups(
  groups: readonly string[],
  map: IdentityOptions["groupRoleMap"],
): OperatorRole[] {
  if (!map) return [];
  return groups.flatMap((group) => (Object.hasOwn(map, group) ? [map[group] as OperatorRole] : []));
}
