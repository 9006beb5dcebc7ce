/**
 * The vocabulary shared by callers and policies/schema.cedarschema: actions, entity types and
 * how an actor or a resource becomes a Cedar entity. Keep in step with the schema (the unit
 * test checks it).
 */
import type { CedarValueJson, EntityJson, TypeAndId } from "@cedar-policy/cedar-wasm";
import type { Actor } from "../context/context";

export const cedarNamespace = "Switchboard";

export const policyActions = [
  "read",
  // The group of every action below; asked on its own only at the door, for a read-only credential.
  "write",
  "configure",
  "manageKeys",
  "import",
  "runCommand",
  // Not a permission: whether a command may go out without another approver (four eyes).
  "skipApproval",
  "launchRunbook",
  "respondIncident",
  "approve",
  "exportEvidence",
  "recordException",
  "sendFeedback",
  "sendTelemetry",
  "manageFlags",
] as const;
export type PolicyAction = (typeof policyActions)[number];

export const principalTypes = ["Operator", "ApiKey", "System"] as const;
export type PrincipalType = (typeof principalTypes)[number];

export const resourceTypes = [
  "Tenant",
  "Operator",
  "ApiKey",
  "IdpSettings",
  "Receipt",
  "Import",
  "Command",
  "Approval",
  "Incident",
  "Runbook",
  "RunbookRun",
  "PolicyException",
  "Evidence",
  "Decision",
  "Flag",
] as const;
export type ResourceType = (typeof resourceTypes)[number];

export interface PrincipalRef {
  type: PrincipalType;
  id: string;
}

/** Actions whose requests carry a context; every other action's context is empty. */
export interface ActionContexts {
  import: { dryRun: boolean; grantsAdmin: boolean };
  skipApproval: { name: string; target: string };
}

export interface ResourceInput {
  type: ResourceType;
  id: string;
  /** The tenant that owns the resource: the tenant boundary is checked against it. */
  tenantId: string;
  /** Attributes the schema declares for this type. */
  attrs?: Record<string, CedarValueJson>;
  /** The principal the resource belongs to: an Approval's requester, a PolicyException's beneficiary. */
  owner?: PrincipalRef;
}

export type AuthorizeInput<A extends PolicyAction = PolicyAction> = {
  action: A;
  resource: ResourceInput;
} & (A extends keyof ActionContexts ? { context: ActionContexts[A] } : { context?: Record<string, never> });

const actorTypes: Record<string, PrincipalType> = {
  api_key: "ApiKey",
  operator: "Operator",
  system: "System",
};

/** The Cedar principal for an actor. */
export function principalOf(actor: Pick<Actor, "type" | "id">): PrincipalRef {
  const type = actorTypes[actor.type];
  if (!type) throw new Error(`no Cedar principal type for actor type ${actor.type}`);
  return { type, id: actor.id };
}

export const uid = (type: string, id: string): TypeAndId => ({ type: `${cedarNamespace}::${type}`, id });

/** Cedar's display form, `Switchboard::ApiKey::"key_…"`: what decisions and exceptions store. */
export const uidText = (type: string, id: string): string =>
  `${cedarNamespace}::${type}::${JSON.stringify(id)}`;

const uidPattern = /^Switchboard::([A-Za-z]+)::"((?:[^"\\]|\\.)*)"$/;

/** Parses `uidText` output back; null when it is not one. */
export function parseUidText(text: string): { type: string; id: string } | null {
  const match = uidPattern.exec(text);
  if (!match?.[1] || match[2] === undefined) return null;
  try {
    return { type: match[1], id: JSON.parse(`"${match[2]}"`) as string };
  } catch {
    return null;
  }
}

/** The entities one request needs: the principal (with every role it holds), the resource and their tenants. */
export function requestEntities(
  principal: PrincipalRef & { roles: readonly string[]; tenantId: string },
  resource: ResourceInput,
): EntityJson[] {
  const tenantOf = (id: string): EntityJson => ({ uid: uid("Tenant", id), attrs: {}, parents: [] });
  const entities = new Map<string, EntityJson>();
  const add = (entity: EntityJson) => entities.set(JSON.stringify(entity.uid), entity);
  add(tenantOf(principal.tenantId));
  add(tenantOf(resource.tenantId));
  add({
    uid: uid(principal.type, principal.id),
    attrs: { roles: [...principal.roles], tenant: { __entity: uid("Tenant", principal.tenantId) } },
    parents: [uid("Tenant", principal.tenantId)],
  });
  if (resource.type !== "Tenant") {
    const parents = [uid("Tenant", resource.tenantId)];
    if (resource.owner) parents.push(uid(resource.owner.type, resource.owner.id));
    const attrs = { ...resource.attrs };
    // An ApiKey or Operator as a resource has a principal's shape: its tenant is known here,
    // its roles must come from the caller (attrs.roles), or Cedar refuses the entity (deny).
    if ((principalTypes as readonly string[]).includes(resource.type)) {
      attrs.tenant = { __entity: uid("Tenant", resource.tenantId) };
    }
    // When the resource is the principal itself, the principal entity stands: one entity per uid.
    const key = JSON.stringify(uid(resource.type, resource.id));
    if (!entities.has(key)) add({ uid: uid(resource.type, resource.id), attrs, parents });
  }
  return [...entities.values()];
}
