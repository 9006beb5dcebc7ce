/** The tenant itself: its admins rename it (a receipted setup change); a suspended tenant's credentials are refused. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenants } from "../../shared/db/schema";
import { upsertIdp } from "../../shared/tenants/idp-repo";
import { createTenantWithAdminKey } from "../../shared/tenants/seed";
import { issuePilotOpsKey } from "../../shared/tenants/tenant-admin";
import { createHarness, type Harness } from "../support/harness";
import { startTestIdp, type TestIdp } from "../support/oidc-idp";

let h: Harness;
const patch = (key: string, body: unknown, headers: Record<string, string> = {}) =>
  h.request("/v1/tenant", {
    method: "PATCH",
    key,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
type Me = { tenant: { id: string; slug: string; name: string }; receiptId?: string };

beforeAll(async () => {
  h = await createHarness({ OUTBOUND_ALLOW_LOOPBACK: "true" }); // a real executor / IdP on 127.0.0.1
}, 60_000); // vitest projects do not inherit the root hookTimeout; PGlite start-up is slow under load
afterAll(() => h.close());

describe("PATCH /v1/tenant", () => {
  it("an admin renames the tenant; the change is receipted and linked to its decision", async () => {
    const res = await patch(h.tenantA.apiKey, { name: "  Acme Rockets  " });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Me;
    expect(body.tenant).toEqual({ id: h.tenantA.id, slug: "acme", name: "Acme Rockets" });
    expect(res.headers.get("x-receipt-id")).toBe(body.receiptId);
    const me = (await (await h.request("/v1/tenant", { key: h.tenantA.apiKey })).json()) as Me;
    expect(me.tenant.name).toBe("Acme Rockets");

    const receipt = (await (
      await h.request(`/v1/receipts/${body.receiptId}`, { key: h.tenantA.apiKey })
    ).json()) as { receipt: { kind: string; subject: string; decisionId: string } };
    expect(receipt.receipt).toMatchObject({ kind: "tenant.renamed", subject: `tenant:${h.tenantA.id}` });
    const decision = await h.request(`/v1/decisions/${receipt.receipt.decisionId}`, {
      key: h.tenantA.apiKey,
    });
    expect(await decision.json()).toMatchObject({ action: "configure", decision: "allow" });
    // The other tenant is untouched.
    const b = (await (await h.request("/v1/tenant", { key: h.tenantB.apiKey })).json()) as Me;
    expect(b.tenant.name).toBe("globex Inc.");
  });

  it("refuses a blank name, other fields and non-admins", async () => {
    expect((await patch(h.tenantA.apiKey, { name: "   " })).status).toBe(400);
    expect((await patch(h.tenantA.apiKey, { name: "X", slug: "other" })).status).toBe(400);
    const viewer = await h.tenantA.keyFor("viewer");
    expect((await patch(viewer, { name: "Mine now" })).status).toBe(403);
  });

  it("pilot-ops cannot rename a tenant: a policy deny with its decision and receipt", async () => {
    const staff = (await issuePilotOpsKey({ ctx: h.ctx(), input: { name: "on-call" } })).secret;
    const res = await patch(staff, { name: "Renamed by staff" }, { "x-switchboard-tenant": "globex" });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      decisionId: expect.stringMatching(/^dec_/),
      receiptId: expect.stringMatching(/^rcpt_/),
    });
  });
});

describe("a suspended tenant", () => {
  let idp: TestIdp;
  let initech: { tenantId: string; apiKey: string };
  const setStatus = (status: "active" | "suspended") =>
    h.ctx().db.update(tenants).set({ status }).where(eq(tenants.id, initech.tenantId));
  const asInitech = { "x-switchboard-tenant": "initech" };

  beforeAll(async () => {
    initech = await createTenantWithAdminKey({ ctx: h.ctx(), input: { slug: "initech", name: "Initech" } });
    idp = await startTestIdp();
    await upsertIdp(h.ctx().db, initech.tenantId, { ...idp, matchBy: "email" }, new Date());
    await h.request("/v1/operators", {
      method: "POST",
      key: initech.apiKey,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "peter@initech.test", displayName: "Peter", role: "operator" }),
    });
    await setStatus("suspended");
  });
  afterAll(() => idp.close());

  it("refuses its API keys and its people's tokens with 403 tenant_suspended", async () => {
    const token = await idp.mint({
      claims: { sub: "peter", email: "peter@initech.test", email_verified: true },
    });
    for (const [key, headers] of [
      [initech.apiKey, {}],
      [token, asInitech],
    ] as const) {
      const res = await h.request("/v1/tenant", { key, headers });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({
        code: "tenant_suspended",
        title: "The tenant is suspended",
        detail: expect.stringMatching(/`initech` is suspended/),
      });
    }
    const write = await patch(initech.apiKey, { name: "Still here" });
    expect(((await write.json()) as { code: string }).code).toBe("tenant_suspended");
  });

  it("tells nothing to a token that does not verify", async () => {
    const other = await startTestIdp({ audience: idp.audience });
    const forged = await other.mint({
      claims: { iss: idp.issuer, sub: "peter", email: "peter@initech.test", email_verified: true },
    });
    const res = await h.request("/v1/tenant", { key: forged, headers: asInitech });
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).not.toMatch(/suspended/);
    await other.close();
  });

  it("staff can still read it, and reactivation lets its credentials back in", async () => {
    const staff = (await issuePilotOpsKey({ ctx: h.ctx(), input: { name: "support" } })).secret;
    expect((await h.request("/v1/tenant", { key: staff, headers: asInitech })).status).toBe(200);
    await setStatus("active");
    expect((await h.request("/v1/tenant", { key: initech.apiKey })).status).toBe(200);
  });
});
