/**
 * The guided-setup steps, in order. Each completes on the first receipt of one of its
 * `proofKinds`, the real event that proves it, never on a click.
 */
export const setupStepKeys = [
  "idp_configured",
  "tenant_configured",
  "first_import_committed",
  "first_command",
  "first_approval",
  "first_incident",
  "first_evidence_export",
] as const;
export type SetupStepKey = (typeof setupStepKeys)[number];

export interface NextAction {
  method: "GET" | "POST" | "PUT" | "PATCH";
  path: string;
  operationId: string;
  description: string;
}

export interface SetupStepDefinition {
  key: SetupStepKey;
  title: string;
  /** Receipt kinds any one of which proves the step. */
  proofKinds: readonly string[];
  next: NextAction;
}

export const setupSteps: readonly SetupStepDefinition[] = [
  {
    key: "idp_configured",
    title: "Connect your identity provider",
    proofKinds: ["idp.configured"],
    next: {
      method: "PUT",
      path: "/v1/idp",
      operationId: "configureIdp",
      description: "Set the issuer, audience and JWKS URL of your OIDC identity provider.",
    },
  },
  {
    key: "tenant_configured",
    title: "Brand your tenant",
    proofKinds: ["domain.added"],
    next: {
      method: "POST",
      path: "/v1/domains",
      operationId: "addDomain",
      description: "Add a white-label domain with its display name, logo and colours.",
    },
  },
  {
    key: "first_import_committed",
    title: "Commit your first import",
    proofKinds: ["import.committed"],
    next: {
      method: "POST",
      path: "/v1/imports",
      operationId: "createImportPlan",
      description: "Dry-run a file (identities, runbooks, incidents or graph), then commit its plan.",
    },
  },
  {
    key: "first_command",
    title: "Run your first command",
    proofKinds: ["command.requested"],
    next: {
      method: "POST",
      path: "/v1/commands",
      operationId: "requestCommand",
      description: "Request a command against one of your services.",
    },
  },
  {
    key: "first_approval",
    title: "Approve a request",
    proofKinds: ["approval.approved"],
    next: {
      method: "POST",
      path: "/v1/approvals/{id}/approve",
      operationId: "approve",
      description: "An approver approves a pending approval (a command or runbook step that needs one).",
    },
  },
  {
    key: "first_incident",
    title: "Open an incident",
    proofKinds: ["incident.opened"],
    next: {
      method: "POST",
      path: "/v1/incidents",
      operationId: "openIncident",
      description: "Open an incident on a service.",
    },
  },
  {
    key: "first_evidence_export",
    title: "Export evidence",
    proofKinds: ["evidence.exported"],
    next: {
      method: "GET",
      path: "/v1/evidence",
      operationId: "exportEvidence",
      description: "Export a verifiable evidence bundle of your receipt log.",
    },
  },
];

export const setupStepByKey = new Map(setupSteps.map((s) => [s.key, s]));

export const isSetupStepKey = (value: string): value is SetupStepKey =>
  (setupStepKeys as readonly string[]).includes(value);
