/**
 * The roles a principal holds. An operator row keeps `role` (the most privileged) and `roles`
 * (every role an identity import gave them); an admin changing `role` through the API leaves
 * `roles` behind, so the list counts only while it still agrees with `role`.
 */
import type { Actor } from "../context/context";
import type { Role } from "../db/schema";

/** Most privileged first. pilot-ops is Switchboard staff's and never held beside tenant roles. */
const privilege = ["admin", "approver", "operator", "auditor", "viewer"] as const satisfies readonly Role[];

export const mostPrivileged = (roles: readonly string[]): Role | undefined =>
  privilege.find((role) => roles.includes(role));

/** An operator's roles: the stored list while `role` is its most privileged entry, else just `role`. */
export function operatorRoles(operator: { role: Role; roles: readonly string[] }): Role[] {
  const known = privilege.filter((role) => operator.roles.includes(role));
  return known.length > 0 && mostPrivileged(known) === operator.role ? known : [operator.role];
}

/** Every role an actor acts with. */
export const actorRoles = (actor: Pick<Actor, "role" | "roles">): readonly Role[] =>
  actor.roles ?? [actor.role];
