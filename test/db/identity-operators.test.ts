import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
}, 60_000); // vitest projects do not inherit the root hookTimeout; PGlite start-up is slow under load
afterAll(() => h.close());

const json = (body: unknown) => ({
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
type Operator = {
  id: string;
  email: string;
  displayName: string;
  role: string;
  status: string;
  subject: string | null;
};

const invite = async (body: Record<string, unknown>, key = h.tenantA.apiKey) =>
  h.request("/v1/operators", { method: "POST", key, ...json(body) });

describe("operators", () => {
  it("invites an operator (email lowercased) and refuses the same email twice", async () => {
    const res = await invite({ email: "Lee@Acme.TEST", displayName: "Lee", role: "approver" });
    expect(res.status).toBe(201);
    const lee = (await res.json()) as Operator;
    expect(lee).toMatchObject({ email: "lee@acme.test", role: "approver", status: "active", subject: null });
    expect(res.headers.get("location")).toBe(`/v1/operators/${lee.id}`);
    const again = await invite({ email: "lee@acme.test", displayName: "Lee 2", role: "viewer" });
    expect(again.status).toBe(409);
    const read = await h.request(`/v1/operators/${lee.id}`, { key: h.tenantA.apiKey });
    expect(((await read.json()) as Operator).displayName).toBe("Lee");
  });

  it("the same email may exist in another tenant", async () => {
    expect(
      (await invite({ email: "lee@acme.test", displayName: "Lee", role: "viewer" }, h.tenantB.apiKey)).status,
    ).toBe(201);
  });

  it("changes role, name and subject; suspends (twice is a no-op) and reactivates", async () => {
    const kim = (await (
      await invite({ email: "kim@acme.test", displayName: "Kim", role: "viewer" })
    ).json()) as Operator;
    const patched = await h.request(`/v1/operators/${kim.id}`, {
      method: "PATCH",
      key: h.tenantA.apiKey,
      ...json({ role: "operator", subject: "kim-sub" }),
    });
    expect(await patched.json()).toMatchObject({ role: "operator", subject: "kim-sub" });
    for (let i = 0; i < 2; i++) {
      const s = await h.request(`/v1/operators/${kim.id}/suspend`, { method: "POST", key: h.tenantA.apiKey });
      expect(((await s.json()) as Operator).status).toBe("suspended");
    }
    const r = await h.request(`/v1/operators/${kim.id}/reactivate`, {
      method: "POST",
      key: h.tenantA.apiKey,
    });
    expect(((await r.json()) as Operator).status).toBe("active");
  });

  it("refuses a subject another operator of the tenant holds with 409", async () => {
    const a = (await (
      await invite({ email: "a1@acme.test", displayName: "A1", role: "viewer", subject: "dup" })
    ).json()) as Operator;
    const b = (await (
      await invite({ email: "a2@acme.test", displayName: "A2", role: "viewer" })
    ).json()) as Operator;
    expect(a.subject).toBe("dup");
    const res = await h.request(`/v1/operators/${b.id}`, {
      method: "PATCH",
      key: h.tenantA.apiKey,
      ...json({ subject: "dup" }),
    });
    expect(res.status).toBe(409);
  });

  it("pages newest first with a cursor and filters by status", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = (await (await h.request(`/v1/operators${q}`, { key: h.tenantA.apiKey })).json()) as {
        items: Operator[];
        nextCursor: string | null;
      };
      seen.push(...page.items.map((o) => o.email));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["a2@acme.test", "a1@acme.test", "kim@acme.test", "lee@acme.test"]);
    const suspended = (await (
      await h.request("/v1/operators?status=suspended", { key: h.tenantA.apiKey })
    ).json()) as {
      items: Operator[];
    };
    expect(suspended.items).toEqual([]);
  });

  it("a tenant admin cannot create or promote to pilot-ops", async () => {
    expect((await invite({ email: "x@acme.test", displayName: "X", role: "pilot-ops" })).status).toBe(400);
    const list = (await (await h.request("/v1/operators", { key: h.tenantA.apiKey })).json()) as {
      items: Operator[];
    };
    const id = list.items[0]?.id;
    const res = await h.request(`/v1/operators/${id}`, {
      method: "PATCH",
      key: h.tenantA.apiKey,
      ...json({ role: "pilot-ops" }),
    });
    expect(res.status).toBe(400);
  });

  it("400 for an empty patch or a bad email; 403 for a non-admin", async () => {
    const list = (await (await h.request("/v1/operators", { key: h.tenantA.apiKey })).json()) as {
      items: Operator[];
    };
    const id = list.items[0]?.id;
    expect(
      (await h.request(`/v1/operators/${id}`, { method: "PATCH", key: h.tenantA.apiKey, ...json({}) }))
        .status,
    ).toBe(400);
    expect((await invite({ email: "not-an-email", displayName: "X", role: "viewer" })).status).toBe(400);
    const viewer = await h.tenantA.keyFor("viewer");
    expect((await invite({ email: "v@acme.test", displayName: "V", role: "viewer" }, viewer)).status).toBe(
      403,
    );
    expect((await h.request("/v1/operators", { key: viewer })).status).toBe(403);
  });
});
