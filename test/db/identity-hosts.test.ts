import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
const hostA = "portal.first-partner.test";
const hostB = "portal.second-partner.test";
const at = (host: string, path: string) => `http://${host}${path}`;
const json = (body: unknown) => ({
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const codeOf = async (res: Response) => ((await res.json()) as { code: string }).code;

beforeAll(async () => {
  h = await createHarness();
  for (const [key, host, name] of [
    [h.tenantA.apiKey, hostA, "First Partner"],
    [h.tenantB.apiKey, hostB, "Second Partner"],
  ] as const) {
    const domain = await h.verifiedDomain(key, {
      host,
      displayName: name,
      logoUrl: "https://cdn.example/logo.svg",
      primaryColor: "#0F766E",
    });
    expect(domain.status).toBe("verified");
  }
}, 60_000); // vitest projects do not inherit the root hookTimeout; PGlite start-up is slow under load
afterAll(() => h.close());

describe("host rules", () => {
  it("a credential of tenant A on tenant B's domain is refused with 403 tenant_mismatch", async () => {
    const res = await h.request(at(hostB, "/v1/tenant"), { key: h.tenantA.apiKey });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { code: string; detail: string };
    expect(body.code).toBe("tenant_mismatch");
    expect(JSON.stringify(body)).not.toContain(h.tenantB.id);
    expect(JSON.stringify(body)).not.toContain(h.tenantB.slug);
  });

  it("on its own domain the credential works, with any case or a trailing dot in the host", async () => {
    for (const host of [hostA, hostA.toUpperCase(), `${hostA}.`]) {
      const res = await h.request(at(host, "/v1/tenant"), { key: h.tenantA.apiKey });
      expect(res.status, host).toBe(200);
      expect(((await res.json()) as { tenant: { id: string } }).tenant.id).toBe(h.tenantA.id);
    }
  });

  it("on an unknown host the credential decides", async () => {
    for (const tenant of [h.tenantA, h.tenantB]) {
      const res = await h.request(at("api.switchboard.test", "/v1/tenant"), { key: tenant.apiKey });
      expect(((await res.json()) as { tenant: { id: string } }).tenant.id).toBe(tenant.id);
    }
  });

  it("x-switchboard-tenant naming another tenant is refused for a tenant credential", async () => {
    const other = await h.request("/v1/tenant", {
      key: h.tenantA.apiKey,
      headers: { "x-switchboard-tenant": h.tenantB.slug },
    });
    expect(other.status).toBe(403);
    expect(await codeOf(other)).toBe("tenant_mismatch");
    const unknown = await h.request("/v1/tenant", {
      key: h.tenantA.apiKey,
      headers: { "x-switchboard-tenant": "no-such-tenant" },
    });
    expect(await codeOf(unknown)).toBe("tenant_mismatch"); // same answer: no oracle for slugs
    const own = await h.request("/v1/tenant", {
      key: h.tenantA.apiKey,
      headers: { "x-switchboard-tenant": "acme" },
    });
    expect(own.status).toBe(200);
    const junk = await h.request("/v1/tenant", {
      key: h.tenantA.apiKey,
      headers: { "x-switchboard-tenant": "a/../b" },
    });
    expect(junk.status).toBe(400);
  });
});

describe("branding", () => {
  it("answers a white-label host with its branding, without a credential and without naming the tenant", async () => {
    const res = await h.request(at(hostA, "/branding"));
    expect(res.status).toBe(200);
    expect(res.headers.get("vary")).toContain("host");
    const body = await res.json();
    expect(body).toEqual({
      host: hostA,
      displayName: "First Partner",
      logoUrl: "https://cdn.example/logo.svg",
      primaryColor: "#0f766e",
      accentColor: "#2563eb",
      isDefault: false,
    });
    expect(JSON.stringify(body)).not.toMatch(new RegExp(`${h.tenantA.id}|acme`));
  });

  it("answers any other host with Switchboard's default branding", async () => {
    const body = (await (await h.request(at("unknown.example", "/branding"))).json()) as Record<
      string,
      unknown
    >;
    expect(body).toMatchObject({ host: "unknown.example", displayName: "Switchboard", isDefault: true });
  });
});

describe("domain admin", () => {
  it("lowercases the host and lists, reads and removes it; removal frees the host", async () => {
    const created = await h.request("/v1/domains", {
      method: "POST",
      key: h.tenantA.apiKey,
      ...json({ host: "Temp.First-Partner.TEST", displayName: "Temp" }),
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { host: string }).host).toBe("temp.first-partner.test");
    expect(created.headers.get("location")).toBe("/v1/domains/temp.first-partner.test");
    const list = (await (await h.request("/v1/domains?limit=1", { key: h.tenantA.apiKey })).json()) as {
      items: { host: string }[];
      nextCursor: string;
    };
    const next = (await (
      await h.request(`/v1/domains?limit=1&cursor=${list.nextCursor}`, { key: h.tenantA.apiKey })
    ).json()) as { items: { host: string }[] };
    expect([...list.items, ...next.items].map((d) => d.host).sort()).toEqual([
      hostA,
      "temp.first-partner.test",
    ]);
    const challenge = (await (
      await h.request("/v1/domains/temp.first-partner.test", { key: h.tenantA.apiKey })
    ).json()) as { verification: { name: string; value: string } };
    h.dns.setTxt(challenge.verification.name, [challenge.verification.value]);
    const verify = await h.request("/v1/domains/temp.first-partner.test/verify", {
      method: "POST",
      key: h.tenantA.apiKey,
    });
    expect(verify.status).toBe(200);
    expect(
      (await h.request(at("temp.first-partner.test", "/v1/tenant"), { key: h.tenantB.apiKey })).status,
    ).toBe(403);
    const removed = await h.request("/v1/domains/temp.first-partner.test", {
      method: "DELETE",
      key: h.tenantA.apiKey,
    });
    expect(removed.status).toBe(204);
    expect(
      (await h.request(at("temp.first-partner.test", "/v1/tenant"), { key: h.tenantB.apiKey })).status,
    ).toBe(200);
    const again = await h.request("/v1/domains/temp.first-partner.test", {
      method: "DELETE",
      key: h.tenantA.apiKey,
    });
    expect(again.status).toBe(404);
  });

  it("refuses a host another tenant holds with 409 that does not name the holder", async () => {
    const res = await h.request("/v1/domains", {
      method: "POST",
      key: h.tenantB.apiKey,
      ...json({ host: hostA, displayName: "Mine now" }),
    });
    expect(res.status).toBe(409);
    expect(JSON.stringify(await res.json())).not.toMatch(new RegExp(`${h.tenantA.id}|acme|First Partner`));
  });

  it.each([
    [{ host: "10.0.0.1", displayName: "x" }, "/host"],
    [{ host: "localhost", displayName: "x" }, "/host"],
    [{ host: "pilot.partner.test:8443", displayName: "x" }, "/host"],
    [{ host: "bad_host.partner.test", displayName: "x" }, "/host"],
    [{ host: "ok.partner.test", displayName: "x", logoUrl: "http://cdn.example/logo.svg" }, "/logoUrl"],
    [{ host: "ok.partner.test", displayName: "x", logoUrl: "javascript:alert(1)" }, "/logoUrl"],
    [{ host: "ok.partner.test", displayName: "x", primaryColor: "red" }, "/primaryColor"],
    [{ host: "ok.partner.test", displayName: "x", accentColor: "#12345" }, "/accentColor"],
  ])("400 for %j at %s", async (body, pointer) => {
    const res = await h.request("/v1/domains", { method: "POST", key: h.tenantA.apiKey, ...json(body) });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: { pointer: string }[] };
    expect(problem.errors.map((e) => e.pointer)).toContain(pointer);
  });

  it("needs the admin role to add a domain", async () => {
    const viewer = await h.tenantA.keyFor("viewer");
    const res = await h.request("/v1/domains", {
      method: "POST",
      key: viewer,
      ...json({ host: "viewer.partner.test", displayName: "x" }),
    });
    expect(res.status).toBe(403);
  });
});
