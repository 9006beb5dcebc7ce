/**
 * An operator may hold several roles (an identity import gives a person every role their
 * groups map to): Cedar sees them all, so one person can do what each role allows.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operators } from "../../shared/db/schema";
import { upsertIdp } from "../../shared/tenants/idp-repo";
import { createHarness, type Harness } from "../support/harness";
import { startTestIdp, type TestIdp } from "../support/oidc-idp";
import { type Body, issueKey, opsClient } from "./ops-support";

let h: Harness;
let idp: TestIdp;
let api: ReturnType<typeof opsClient>;
let danaId: string;
const asA = { "x-switchboard-tenant": "acme" };
/** A production target: policy (four-eyes.cedar) holds it for another approver. */
const restart = { name: "service.restart", target: "prod:checkout-api" };

/** Dana signs in through tenant A's IdP; every call gets a fresh token. */
async function asDana(method: string, path: string, body?: unknown) {
  const token = await idp.mint({
    claims: { sub: "dana-sub", email: "dana@acme.test", email_verified: true },
  });
  const res = await h.request(path, {
    method,
    key: token,
    headers: { ...asA, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Body };
}

beforeAll(async () => {
  h = await createHarness({ OUTBOUND_ALLOW_LOOPBACK: "true" }); // a real executor / IdP on 127.0.0.1
  api = opsClient(h);
  idp = await startTestIdp();
  await upsertIdp(h.ctx().db, h.tenantA.id, { ...idp, matchBy: "email" }, new Date());
  const dana = await api.ok(h.tenantA.apiKey, "POST", "/v1/operators", {
    email: "dana@acme.test",
    displayName: "Dana",
    role: "approver",
  });
  danaId = dana.id;
  // What an identities import stores for a person in both the approvers' and the operators' group.
  await h
    .ctx()
    .db.update(operators)
    .set({ roles: ["approver", "operator"] })
    .where(eq(operators.id, danaId));
}, 60_000);
afterAll(async () => {
  await h.close();
  await idp.close();
});

describe("an operator who is both approver and operator", () => {
  it("is told both roles by GET /v1/tenant", async () => {
    const me = await asDana("GET", "/v1/tenant");
    expect(me.body).toMatchObject({
      credential: { type: "operator", id: danaId, role: "approver", roles: ["approver", "operator"] },
    });
  });

  it("runs a command and approves another person's, but never her own", async () => {
    const own = await asDana("POST", "/v1/commands", restart);
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    const selfApproval = await asDana("POST", `/v1/approvals/${own.body.approvalId}/approve`);
    expect(selfApproval.status).toBe(403);
    expect(selfApproval.body).toMatchObject({ remediation: "needs approval by another approver" });

    const operator = (await issueKey(h, "operator")).key;
    const theirs = await api.ok(operator, "POST", "/v1/commands", restart);
    const approved = await asDana("POST", `/v1/approvals/${theirs.approvalId}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: "approved" });
  });

  it("a runbook she launches runs its command step as her, with both roles", async () => {
    const runbook = await api.ok(h.tenantA.apiKey, "POST", "/v1/runbooks", {
      id: "flush-cache",
      title: "Flush the cache",
      version: 1,
      steps: [{ id: "flush", title: "Flush", kind: "command", command: "cache.flush", params: {} }],
    });
    const run = await asDana("POST", `/v1/runbooks/${runbook.id}/runs`, { inputs: {} });
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    const [step] = run.body.steps as Body[];
    expect(step).toMatchObject({ status: "running" });
    const command = await api.ok(h.tenantA.apiKey, "GET", `/v1/commands/${step?.commandId}`);
    expect(command).toMatchObject({ status: "dispatched" });
  });

  it("loses the extra roles when an admin sets her role: then she is what that role allows", async () => {
    await api.ok(h.tenantA.apiKey, "PATCH", `/v1/operators/${danaId}`, { role: "viewer" });
    const me = await asDana("GET", "/v1/tenant");
    expect(me.body).toMatchObject({ credential: { role: "viewer", roles: ["viewer"] } });
    const refused = await asDana("POST", "/v1/commands", restart);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ remediation: "needs role operator" });
    // Made approver again, she is an approver only: the old set does not come back.
    await api.ok(h.tenantA.apiKey, "PATCH", `/v1/operators/${danaId}`, { role: "approver" });
    expect((await asDana("GET", "/v1/tenant")).body).toMatchObject({ credential: { roles: ["approver"] } });
    expect((await asDana("POST", "/v1/commands", restart)).status).toBe(403);
  });
});
