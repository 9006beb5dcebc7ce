/** The default policies, evaluated by the real Cedar engine (no database): who may do what. */
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { describe, expect, it } from "vitest";
import { policyBundle } from "../../shared/policy/bundle.generated";
import { type CedarBindings, createCedarEngine, type PolicyEngine } from "../../shared/policy/engine";
import { createNodePolicyEngine } from "../../shared/policy/engine-node";
import {
  type PolicyAction,
  type PrincipalRef,
  type ResourceInput,
  requestEntities,
  uid,
} from "../../shared/policy/model";

type Who = PrincipalRef & { roles: string[]; tenantId: string };
const A = "ten_a";
const B = "ten_b";
const key = (role: string, tenantId = A, id = `key_${role}_${tenantId}`): Who => ({
  type: "ApiKey",
  id,
  roles: [role],
  tenantId,
});
const person = (roles: string[], id = `op_${roles.join("_")}`): Who => ({
  type: "Operator",
  id,
  roles,
  tenantId: A,
});
const on = (type: ResourceInput["type"], id: string, tenantId = A, owner?: PrincipalRef): ResourceInput => ({
  type,
  id,
  tenantId,
  ...(owner ? { owner } : {}),
});

function ask(engine: PolicyEngine, who: Who, action: PolicyAction, resource: ResourceInput, context = {}) {
  return engine.isAuthorized({
    principal: uid(who.type, who.id),
    action: uid("Action", action),
    resource: uid(resource.type, resource.id),
    context,
    entities: requestEntities(who, resource),
  });
}

describe("default policies", () => {
  const engine = createNodePolicyEngine();
  const command = on("Command", "cmd_restart");

  it("viewer reads but does not run a command", () => {
    expect(ask(engine, key("viewer"), "read", command)).toMatchObject({
      decision: "allow",
      determiningPolicies: ["members-read"],
    });
    expect(ask(engine, key("viewer"), "runCommand", command)).toEqual({
      decision: "deny",
      determiningPolicies: [],
      errors: [],
    });
  });

  it("auditor reads and exports evidence, and changes nothing else; a viewer does not export", () => {
    const tenant = on("Tenant", A);
    expect(ask(engine, key("auditor"), "read", command).decision).toBe("allow");
    expect(ask(engine, key("auditor"), "exportEvidence", tenant)).toMatchObject({
      decision: "allow",
      determiningPolicies: ["auditor-export-evidence"],
    });
    expect(ask(engine, key("admin"), "exportEvidence", tenant).determiningPolicies).toEqual(["admin-govern"]);
    expect(ask(engine, key("viewer"), "exportEvidence", tenant).decision).toBe("deny");
    for (const action of ["runCommand", "configure", "manageKeys", "recordException"] as const) {
      expect(ask(engine, key("auditor"), action, action === "runCommand" ? command : tenant).decision).toBe(
        "deny",
      );
    }
  });

  it("operator runs commands and launches runbooks", () => {
    expect(ask(engine, key("operator"), "runCommand", command).determiningPolicies).toEqual([
      "operator-run-command",
    ]);
    expect(ask(engine, key("operator"), "launchRunbook", on("Runbook", "rb_1")).decision).toBe("allow");
    expect(ask(engine, key("operator"), "configure", on("Tenant", A)).decision).toBe("deny");
  });

  it("approver approves another's request, never their own", () => {
    const approver = key("approver");
    const theirs = on("Approval", "apr_1", A, key("operator"));
    const own = on("Approval", "apr_2", A, approver);
    expect(ask(engine, approver, "approve", theirs)).toMatchObject({
      decision: "allow",
      determiningPolicies: ["approver-approve"],
    });
    expect(ask(engine, approver, "approve", own)).toMatchObject({
      decision: "deny",
      determiningPolicies: ["approval-not-own-request"],
    });
    expect(ask(engine, key("operator"), "approve", theirs).decision).toBe("deny");
  });

  it("an operator holding several roles may do what each allows, and still not approve their own request", () => {
    const both = person(["approver", "operator"]);
    expect(ask(engine, both, "runCommand", command).determiningPolicies).toEqual(["operator-run-command"]);
    expect(ask(engine, both, "approve", on("Approval", "apr_1", A, key("operator"))).decision).toBe("allow");
    expect(ask(engine, both, "approve", on("Approval", "apr_2", A, both))).toMatchObject({
      decision: "deny",
      determiningPolicies: ["approval-not-own-request"],
    });
    expect(ask(engine, both, "configure", on("Tenant", A)).decision).toBe("deny");
    expect(ask(engine, person([]), "read", command).decision).toBe("deny");
  });

  it("admin imports and configures; granting admin through an import needs admin", () => {
    const imp = on("Import", "imp_1");
    const admin = key("admin");
    const operator = key("operator");
    expect(ask(engine, admin, "import", imp, { dryRun: false, grantsAdmin: true }).decision).toBe("allow");
    expect(ask(engine, admin, "configure", on("Tenant", A)).determiningPolicies).toEqual(["admin-configure"]);
    expect(
      ask(engine, operator, "import", imp, { dryRun: true, grantsAdmin: false }).determiningPolicies,
    ).toEqual(["operator-import-dry-run"]);
    expect(ask(engine, operator, "import", imp, { dryRun: true, grantsAdmin: true })).toMatchObject({
      decision: "deny",
      determiningPolicies: ["import-admin-grant-needs-admin"],
    });
    expect(ask(engine, operator, "import", imp, { dryRun: false, grantsAdmin: false }).decision).toBe("deny");
  });

  it("pilot-ops reads across tenants and writes nowhere", () => {
    const staff = key("pilot-ops", "ten_staff");
    // The door check for an unsafe request by staff, on the tenant it targets.
    expect(ask(engine, key("pilot-ops", B), "write", on("Tenant", B))).toMatchObject({
      decision: "deny",
      determiningPolicies: ["pilot-ops-read-only"],
    });
    expect(ask(engine, staff, "read", on("Receipt", "rcpt_1", B)).determiningPolicies).toEqual([
      "pilot-ops-read",
    ]);
    expect(ask(engine, staff, "runCommand", on("Command", "cmd_1", "ten_staff"))).toMatchObject({
      decision: "deny",
      determiningPolicies: ["pilot-ops-read-only"],
    });
    expect(ask(engine, staff, "configure", on("Tenant", B)).determiningPolicies).toEqual([
      "pilot-ops-read-only",
      "tenant-boundary",
    ]);
  });

  it("a principal of tenant A gets nothing of tenant B, whatever its role", () => {
    for (const [role, action, resource] of [
      ["viewer", "read", on("Command", "cmd_b", B)],
      ["operator", "runCommand", on("Command", "cmd_b", B)],
      ["admin", "configure", on("Tenant", B)],
      ["admin", "manageKeys", on("Tenant", B)],
    ] as const) {
      expect(ask(engine, key(role), action, resource), `${role} ${action}`).toEqual({
        decision: "deny",
        determiningPolicies: ["tenant-boundary"],
        errors: [],
      });
    }
  });

  it("nobody records an exception for themselves", () => {
    const admin = key("admin");
    expect(
      ask(engine, admin, "recordException", on("PolicyException", "pex_1", A, key("viewer"))).decision,
    ).toBe("allow");
    expect(ask(engine, admin, "recordException", on("PolicyException", "pex_2", A, admin))).toMatchObject({
      decision: "deny",
      determiningPolicies: ["exception-not-for-self"],
    });
  });

  it("fails closed: a request that does not fit the schema is denied with the reason", () => {
    const answer = ask(engine, key("admin"), "import", on("Import", "imp_1"), { dryRun: true });
    expect(answer.decision).toBe("deny");
    expect(answer.errors.join(" ")).toMatch(/grantsAdmin/);
  });
});

describe("engine", () => {
  it("parses the schema and the policy set once and evaluates every request with the stateful API", () => {
    const calls = { preparseSchema: 0, preparsePolicySet: 0, statefulIsAuthorized: 0 };
    // Only these three calls reach the engine: the stateless `isAuthorized` (re-parse per call) cannot.
    const counted: CedarBindings = {
      preparseSchema: (...args) => {
        calls.preparseSchema++;
        return cedar.preparseSchema(...args);
      },
      preparsePolicySet: (...args) => {
        calls.preparsePolicySet++;
        return cedar.preparsePolicySet(...args);
      },
      statefulIsAuthorized: (call) => {
        calls.statefulIsAuthorized++;
        return cedar.statefulIsAuthorized(call);
      },
    };
    const engine = createCedarEngine(counted, policyBundle);
    for (let i = 0; i < 200; i++)
      ask(engine, key(i % 2 ? "viewer" : "operator"), "runCommand", on("Command", `cmd_${i}`));
    expect(calls).toEqual({ preparseSchema: 1, preparsePolicySet: 1, statefulIsAuthorized: 200 });
    expect(engine.bundleVersion).toBe(policyBundle.version);
  });

  it("refuses to start on a policy set that does not parse", () => {
    const broken = {
      ...policyBundle,
      version: "broken",
      policies: { x: "permit (principal, action, resource" },
    };
    expect(() => createCedarEngine(cedar, broken)).toThrow(/do not parse/);
  });
});
