/** Setup changes are Cedar-gated and each leaves its own receipt linked to its decision. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const json = (method: string, body: unknown) => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

type Receipt = { id: string; kind: string; subject: string; decisionId: string | null };
const timeline = async (kind: string) =>
  (
    (await (await h.request(`/v1/timeline?kind=${kind}`, { key: h.tenantA.apiKey })).json()) as {
      items: Receipt[];
    }
  ).items;

describe("setup changes leave receipts", () => {
  it("operator invite, suspend and reactivate: one receipt each, each linked to an allow decision", async () => {
    const res = await h.request("/v1/operators", {
      key: h.tenantA.apiKey,
      ...json("POST", { email: "kai@acme.test", displayName: "Kai", role: "operator" }),
    });
    const { id } = (await res.json()) as { id: string };
    await h.request(`/v1/operators/${id}/suspend`, { method: "POST", key: h.tenantA.apiKey });
    await h.request(`/v1/operators/${id}/reactivate`, { method: "POST", key: h.tenantA.apiKey });
    await h.request(`/v1/operators/${id}/suspend`, { method: "POST", key: h.tenantA.apiKey });

    const [invited] = await timeline("operator.invited");
    expect(invited).toMatchObject({ subject: `operator:${id}` });
    const decision = await h.request(`/v1/decisions/${invited?.decisionId}`, { key: h.tenantA.apiKey });
    expect(await decision.json()).toMatchObject({ action: "configure", decision: "allow" });
    // suspending twice is two actions, two receipts
    expect(await timeline("operator.suspended")).toHaveLength(2);
    expect(await timeline("operator.reactivated")).toHaveLength(1);
  });

  it("domain add and remove, and a failed change leaves no receipt", async () => {
    const body = { host: "pilot.acme.test", displayName: "Acme Pilot" };
    expect((await h.request("/v1/domains", { key: h.tenantA.apiKey, ...json("POST", body) })).status).toBe(
      201,
    );
    expect((await h.request("/v1/domains", { key: h.tenantA.apiKey, ...json("POST", body) })).status).toBe(
      409,
    );
    expect(await timeline("domain.added")).toHaveLength(1);
    await h.request("/v1/domains/pilot.acme.test", { method: "DELETE", key: h.tenantA.apiKey });
    expect((await timeline("domain.removed"))[0]).toMatchObject({ subject: "domain:pilot.acme.test" });
  });

  it("configure → remove → configure the IdP gives three receipts", async () => {
    const idp = {
      issuer: "https://idp.acme.test",
      audience: "switchboard",
      jwksUrl: "https://idp.acme.test/jwks",
    };
    await h.request("/v1/idp", { key: h.tenantA.apiKey, ...json("PUT", idp) });
    await h.request("/v1/idp", { method: "DELETE", key: h.tenantA.apiKey });
    await h.request("/v1/idp", { key: h.tenantA.apiKey, ...json("PUT", idp) });
    const configured = await timeline("idp.configured");
    expect(configured).toHaveLength(2);
    expect(configured[0]?.id).not.toBe(configured[1]?.id);
    expect(await timeline("idp.removed")).toHaveLength(1);
  });
});
