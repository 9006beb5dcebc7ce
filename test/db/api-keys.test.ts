import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const json = (body: unknown) => ({
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe("API keys", () => {
  it("issues a key shown once that then authenticates with its role", async () => {
    const res = await h.request("/v1/api-keys", {
      method: "POST",
      key: h.tenantA.apiKey,
      ...json({ name: "ops bot", role: "operator" }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; secret: string; prefix: string; role: string };
    expect(created.secret.startsWith(created.prefix)).toBe(true);
    expect(res.headers.get("location")).toBe(`/v1/api-keys/${created.id}`);
    const me = await (await h.request("/v1/tenant", { key: created.secret })).json();
    expect(me).toMatchObject({
      tenant: { id: h.tenantA.id },
      credential: { id: created.id, role: "operator" },
    });
    const list = (await (await h.request("/v1/api-keys", { key: h.tenantA.apiKey })).json()) as {
      items: Record<string, unknown>[];
    };
    expect(list.items.find((k) => k.id === created.id)).not.toHaveProperty("secret");
  });

  it("revokes a key so it stops working at once; revoking again is a no-op", async () => {
    const created = (await (
      await h.request("/v1/api-keys", {
        method: "POST",
        key: h.tenantA.apiKey,
        ...json({ name: "temp", role: "viewer" }),
      })
    ).json()) as { id: string; secret: string };
    const first = await h.request(`/v1/api-keys/${created.id}`, { method: "DELETE", key: h.tenantA.apiKey });
    expect(first.status).toBe(200);
    const revokedAt = ((await first.json()) as { revokedAt: string }).revokedAt;
    expect(revokedAt).toBeTruthy();
    expect((await h.request("/v1/tenant", { key: created.secret })).status).toBe(401);
    const again = (await (
      await h.request(`/v1/api-keys/${created.id}`, { method: "DELETE", key: h.tenantA.apiKey })
    ).json()) as {
      revokedAt: string;
    };
    expect(again.revokedAt).toBe(revokedAt);
  });

  it("issuing and revoking leave api_key.issued / api_key.revoked receipts with the role, never the secret", async () => {
    const res = await h.request("/v1/api-keys", {
      method: "POST",
      key: h.tenantA.apiKey,
      ...json({ name: "ci deploy", role: "approver" }),
    });
    const created = (await res.json()) as { id: string; secret: string };
    await h.request(`/v1/api-keys/${created.id}`, { method: "DELETE", key: h.tenantA.apiKey });
    await h.request(`/v1/api-keys/${created.id}`, { method: "DELETE", key: h.tenantA.apiKey });

    type Receipt = { id: string; subject: string; decisionId: string; details: Record<string, unknown> };
    const timeline = async (kind: string) => {
      const page = await h.request(`/v1/timeline?kind=${kind}&subject=api_key:${created.id}`, {
        key: h.tenantA.apiKey,
      });
      return ((await page.json()) as { items: Receipt[] }).items;
    };
    const issued = await timeline("api_key.issued");
    const revoked = await timeline("api_key.revoked");
    expect(issued).toHaveLength(1);
    expect(revoked).toHaveLength(1); // revoking again is a no-op: no second receipt
    for (const receipt of [...issued, ...revoked]) {
      expect(receipt.details).toEqual({ keyId: created.id, name: "ci deploy", role: "approver" });
      expect(receipt.decisionId).toMatch(/^dec_/);
      const whole = JSON.stringify(
        await (await h.request(`/v1/receipts/${receipt.id}`, { key: h.tenantA.apiKey })).json(),
      );
      expect(whole).not.toContain(created.secret);
      expect(whole).not.toContain(createHash("sha256").update(created.secret).digest("hex"));
    }
  });

  it("pages newest first with an opaque cursor and no duplicates", async () => {
    for (let i = 0; i < 5; i++) {
      await h.request("/v1/api-keys", {
        method: "POST",
        key: h.tenantB.apiKey,
        ...json({ name: `k${i}`, role: "viewer" }),
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = (await (await h.request(`/v1/api-keys${query}`, { key: h.tenantB.apiKey })).json()) as {
        items: { id: string; name: string }[];
        nextCursor: string | null;
      };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((k) => k.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["k4", "k3", "k2", "k1", "k0", "initial admin key"]);
  });

  it("another tenant's key id answers 404 and changes nothing", async () => {
    const list = (await (await h.request("/v1/api-keys", { key: h.tenantA.apiKey })).json()) as {
      items: { id: string }[];
    };
    const victim = list.items[0]?.id;
    const res = await h.request(`/v1/api-keys/${victim}`, { method: "DELETE", key: h.tenantB.apiKey });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { detail: string }).detail).not.toContain("acme");
    expect((await h.request("/v1/tenant", { key: h.tenantA.apiKey })).status).toBe(200);
  });
});

describe("bad input", () => {
  it("400 validation_failed names each field with a JSON pointer", async () => {
    const res = await h.request("/v1/api-keys", {
      method: "POST",
      key: h.tenantA.apiKey,
      ...json({ name: "", role: "root", extra: 1 }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; errors: { pointer: string; in: string }[] };
    expect(body.code).toBe("validation_failed");
    expect(body.errors.map((e) => e.pointer).sort()).toEqual(["/", "/name", "/role"]);
    expect(body.errors.every((e) => e.in === "body")).toBe(true);
  });

  it("400 malformed_json for a body that is not JSON", async () => {
    const res = await h.request("/v1/api-keys", {
      method: "POST",
      key: h.tenantA.apiKey,
      headers: { "content-type": "application/json" },
      body: '{"name": "x",',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("malformed_json");
  });

  it("415 for a body in another media type", async () => {
    const res = await h.request("/v1/api-keys", {
      method: "POST",
      key: h.tenantA.apiKey,
      headers: { "content-type": "text/csv" },
      body: "name,role\nx,viewer\n",
    });
    expect(res.status).toBe(415);
    expect(res.headers.get("accept-post")).toBe("application/json");
  });

  it("400 for a query out of range and for a forged cursor", async () => {
    const over = await h.request("/v1/api-keys?limit=5000", { key: h.tenantA.apiKey });
    expect(((await over.json()) as { errors: { pointer: string; in: string }[] }).errors[0]).toMatchObject({
      pointer: "/limit",
      in: "query",
    });
    const forged = await h.request("/v1/api-keys?cursor=not-a-cursor", { key: h.tenantA.apiKey });
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe("invalid_cursor");
  });

  it("a tenant admin cannot mint a pilot-ops key", async () => {
    const res = await h.request("/v1/api-keys", {
      method: "POST",
      key: h.tenantA.apiKey,
      ...json({ name: "x", role: "pilot-ops" }),
    });
    expect(res.status).toBe(400);
  });
});
