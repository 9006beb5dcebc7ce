/** Switchboard staff: read any tenant by naming it, never write. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../shared/tenants/api-keys";
import { issuePilotOpsKey } from "../../shared/tenants/tenant-admin";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
let staffKey: string;
const json = (body: unknown) => ({
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const naming = (slug: string) => ({ "x-switchboard-tenant": slug });

beforeAll(async () => {
  h = await createHarness();
  staffKey = (await issuePilotOpsKey({ ctx: h.ctx(), input: { name: "on-call" } })).secret;
  await h.verifiedDomain(h.tenantA.apiKey, { host: "staff.first-partner.test", displayName: "First" });
}, 60_000); // vitest projects do not inherit the root hookTimeout; PGlite start-up is slow under load
afterAll(() => h.close());

describe("pilot-ops reads", () => {
  it("lists every tenant; a tenant admin may not", async () => {
    const res = await h.request("/v1/tenants", { key: staffKey });
    const slugs = ((await res.json()) as { items: { slug: string }[] }).items.map((t) => t.slug);
    expect(slugs).toEqual(["acme", "globex", "switchboard"]);
    expect((await h.request("/v1/tenants", { key: h.tenantA.apiKey })).status).toBe(403);
  });

  it("reads the tenant named by x-switchboard-tenant, admin-only reads included", async () => {
    for (const tenant of [h.tenantA, h.tenantB]) {
      const me = (await (
        await h.request("/v1/tenant", { key: staffKey, headers: naming(tenant.slug) })
      ).json()) as {
        tenant: { id: string };
        credential: { role: string };
      };
      expect(me).toMatchObject({ tenant: { id: tenant.id }, credential: { role: "pilot-ops" } });
      for (const path of ["/v1/operators", "/v1/domains"]) {
        const res = await h.request(path, { key: staffKey, headers: naming(tenant.slug) });
        expect(res.status, path).toBe(200);
      }
      expect((await h.request("/v1/idp", { key: staffKey, headers: naming(tenant.slug) })).status).toBe(404);
    }
  });

  it("logs the staff home tenant beside the tenant read", async () => {
    await h.request("/v1/tenant", {
      key: staffKey,
      headers: { ...naming("globex"), "x-request-id": "staff-read-1" },
    });
    const line = h.logs.find((l) => l.requestId === "staff-read-1" && l.tenantId === h.tenantB.id);
    expect(line?.homeTenantId).toBeTruthy();
    expect(line?.homeTenantId).not.toBe(h.tenantB.id);
  });

  it("on a white-label host reads that host's tenant; a header naming another is a mismatch", async () => {
    const onHost = await h.request("http://staff.first-partner.test/v1/tenant", { key: staffKey });
    expect(((await onHost.json()) as { tenant: { id: string } }).tenant.id).toBe(h.tenantA.id);
    const mismatch = await h.request("http://staff.first-partner.test/v1/tenant", {
      key: staffKey,
      headers: naming("globex"),
    });
    expect(mismatch.status).toBe(403);
    expect(((await mismatch.json()) as { code: string }).code).toBe("tenant_mismatch");
  });

  it("an unknown slug is 404", async () => {
    expect((await h.request("/v1/tenant", { key: staffKey, headers: naming("nobody") })).status).toBe(404);
  });
});

describe("pilot-ops writes", () => {
  it.each([
    ["POST", "/v1/api-keys", { name: "x", role: "viewer" }],
    ["POST", "/v1/operators", { email: "x@acme.test", displayName: "X", role: "viewer" }],
    ["POST", "/v1/domains", { host: "x.partner.test", displayName: "X" }],
    ["PUT", "/v1/idp", { issuer: "https://idp.test", audience: "a", jwksUrl: "https://idp.test/jwks" }],
    ["DELETE", "/v1/idp", undefined],
    ["POST", "/v1/self-tests", undefined],
  ])("%s %s → 403 by policy, in another tenant and in its own", async (method, path, body) => {
    for (const headers of [naming("acme"), {}]) {
      const res = await h.request(path, {
        method,
        key: staffKey,
        headers: { ...headers, "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(res.status).toBe(403);
      const problem = (await res.json()) as Record<string, string>;
      expect(problem).toMatchObject({ code: "forbidden", remediation: expect.stringMatching(/read-only/) });
      expect(problem.decisionId).toMatch(/^dec_/);
      expect(problem.receiptId).toMatch(/^rcpt_/);
    }
  });

  it("the refusal is a Cedar decision and a policy.denied receipt in the targeted tenant's log", async () => {
    const res = await h.request("/v1/domains", {
      method: "POST",
      key: staffKey,
      headers: { ...naming("acme"), "content-type": "application/json" },
      body: JSON.stringify({ host: "staff-write.partner.test", displayName: "Nope" }),
    });
    const { decisionId, receiptId } = (await res.json()) as Record<string, string>;
    const admin = { key: h.tenantA.apiKey };
    const decision = await h.request(`/v1/decisions/${decisionId}`, admin);
    expect(await decision.json()).toMatchObject({
      action: "write",
      resource: `Switchboard::Tenant::"${h.tenantA.id}"`,
      decision: "deny",
      determiningPolicies: ["pilot-ops-read-only"],
    });
    const receipt = await h.request(`/v1/receipts/${receiptId}`, admin);
    expect(await receipt.json()).toMatchObject({ receipt: { kind: "policy.denied", decisionId } });
    const timeline = (await (await h.request("/v1/timeline?kind=policy.denied", admin)).json()) as {
      items: { id: string }[];
    };
    expect(timeline.items.map((r) => r.id)).toContain(receiptId);
    // Nowhere else: not in another tenant, and the write did not happen.
    expect((await h.request(`/v1/receipts/${receiptId}`, { key: h.tenantB.apiKey })).status).toBe(404);
    expect((await h.request("/v1/domains/staff-write.partner.test", admin)).status).toBe(404);
  });

  it("cannot revoke a tenant's key: 403 and the key still works", async () => {
    const list = (await (await h.request("/v1/api-keys", { key: h.tenantA.apiKey })).json()) as {
      items: { id: string }[];
    };
    const res = await h.request(`/v1/api-keys/${list.items[0]?.id}`, {
      method: "DELETE",
      key: staffKey,
      headers: naming("acme"),
    });
    expect(res.status).toBe(403);
    expect((await h.request("/v1/tenant", { key: h.tenantA.apiKey })).status).toBe(200);
  });

  it("a pilot-ops key outside the staff tenant is refused outright", async () => {
    const rogue = await createApiKey({
      ctx: h.ctx(),
      input: { tenantId: h.tenantA.id, name: "rogue", role: "pilot-ops" },
    });
    const res = await h.request("/v1/tenant", { key: rogue.secret, headers: naming("globex") });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/only on Switchboard staff/);
  });

  it("tenant admins cannot mint pilot-ops keys", async () => {
    const res = await h.request("/v1/api-keys", {
      method: "POST",
      key: h.tenantA.apiKey,
      ...json({ name: "x", role: "pilot-ops" }),
    });
    expect(res.status).toBe(400);
  });
});
