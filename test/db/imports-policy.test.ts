/**
 * Imports under Cedar. Chosen behaviour: a non-admin may dry-run a file that would grant the
 * admin role; those rows become `policy_denied` rejects carrying the deny's decision id (one
 * decision and one `policy.denied` receipt per plan, not per row), the rest plans as usual.
 * Committing is an admin's call (coarse role check, then Cedar with dryRun false).
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decisions, operators, receipts } from "../../shared/db/schema";
import { createHarness, type Harness } from "../support/harness";
import { commit, commitAndApply, groupRoleMap, plan, planRequest, rowsOf, sample } from "./imports-support";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const okta = {
  kind: "identities",
  body: sample("identities/okta-users.csv"),
  options: `{"groupRoleMap":${groupRoleMap}}`,
};

describe("a file that grants the admin role", () => {
  it("planned by an operator: the admin row is a policy_denied reject with the decision id and a receipt", async () => {
    const operatorKey = await h.tenantA.keyFor("operator");
    const p = await plan(h, operatorKey, okta);
    expect(p.counts).toMatchObject({ total: 5, create: 4, reject: 1 });
    expect(p.grantsAdmin).toBe(false);
    const [denied] = rowsOf(p, "reject");
    expect(denied).toMatchObject({
      row: 1,
      key: "ana.ruiz@northwind.example",
      decision: "deny",
      error: { code: "policy_denied", column: "roles" },
    });
    expect(rowsOf(p, "create").every((r) => r.decision === "allow" && r.decisionId === p.decisionId)).toBe(
      true,
    );
    const [decision] = await h
      .ctx()
      .db.select()
      .from(decisions)
      .where(eq(decisions.id, denied?.decisionId ?? ""));
    expect(decision).toMatchObject({
      decision: "deny",
      determiningPolicies: ["import-admin-grant-needs-admin"],
    });
    const receipt = await h
      .ctx()
      .db.select()
      .from(receipts)
      .where(and(eq(receipts.tenantId, h.tenantA.id), eq(receipts.decisionId, denied?.decisionId ?? "")));
    expect(receipt.map((r) => r.kind)).toEqual(["policy.denied"]);

    const refused = await commit(h, operatorKey, p.id);
    expect(refused.status).toBe(403);
    const none = await h
      .ctx()
      .db.select()
      .from(operators)
      .where(eq(operators.email, "bo.chen@northwind.example"));
    expect(none).toEqual([]);
  });

  it("planned by an admin: a different plan, allowed, and it commits with grantsAdmin", async () => {
    const p = await plan(h, h.tenantA.apiKey, okta);
    expect(p.counts).toMatchObject({ total: 5, create: 5, reject: 0 });
    expect(p.grantsAdmin).toBe(true);
    const imp = await commitAndApply(h, h.tenantA.apiKey, p.id);
    expect(imp.status).toBe("completed");
    const [ana] = await h
      .ctx()
      .db.select()
      .from(operators)
      .where(and(eq(operators.tenantId, h.tenantA.id), eq(operators.email, "ana.ruiz@northwind.example")));
    expect(ana).toMatchObject({ role: "admin", roles: ["admin", "operator"], displayName: "Ana Ruiz" });
    const [commitDecision] = await h
      .ctx()
      .db.select()
      .from(decisions)
      .where(eq(decisions.resource, `Switchboard::Import::"${p.id}"`));
    expect(commitDecision?.decision).toBe("allow");
  });

  it("a viewer may not even plan; nobody may import the pilot-ops role", async () => {
    const viewer = await h.tenantA.keyFor("viewer");
    expect((await planRequest(h, viewer, okta)).status).toBe(403);
    const p = await plan(h, h.tenantA.apiKey, {
      kind: "identities",
      body: "email,roles\nstaff@acme.example,pilot-ops\n",
    });
    expect(rowsOf(p, "reject")[0]?.error).toMatchObject({ code: "role_not_importable" });
  });
});
