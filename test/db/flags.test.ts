/** Feature flags over HTTP: staff-only changes, versions, receipts on both timelines, rollback, evaluation. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueFlagAdminKey, issuePilotOpsKey } from "../../shared/tenants/tenant-admin";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
let flagAdmin: string;
let pilotOps: string;
const json = (body: unknown) => ({
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const put = (key: string, body: unknown, credential = flagAdmin) =>
  h.request(`/v1/flags/${key}`, { method: "PUT", key: credential, ...json(body) });
const evaluate = (credential: string, body: unknown = {}) =>
  h.request("/v1/flags/evaluate", { method: "POST", key: credential, ...json(body) });
const timeline = async (credential: string, kind: string) =>
  (
    (await (await h.request(`/v1/timeline?kind=${kind}`, { key: credential })).json()) as {
      items: { id: string; kind: string; details: Record<string, unknown> }[];
    }
  ).items;

const checkout = {
  description: "New checkout",
  type: "boolean",
  variants: { on: true, off: false },
  defaultVariant: "off",
};

interface Change {
  key: string;
  version: number;
  digest: string;
  changed: boolean;
  receiptId: string | null;
  tenantReceiptIds: string[];
  config: Record<string, unknown>;
}

beforeAll(async () => {
  h = await createHarness();
  flagAdmin = (await issueFlagAdminKey({ ctx: h.ctx(), input: { name: "flags" } })).secret;
  pilotOps = (await issuePilotOpsKey({ ctx: h.ctx(), input: { name: "on-call" } })).secret;
}, 60_000);
afterAll(() => h.close());

describe("changing flags", () => {
  it("flag-admin creates a flag: version 1, a receipt in the switchboard log", async () => {
    const res = await put("checkout-v2", checkout);
    expect(res.status).toBe(201);
    const body = (await res.json()) as Change;
    expect(body).toMatchObject({ key: "checkout-v2", version: 1, changed: true, tenantReceiptIds: [] });
    expect(body.digest).toMatch(/^[0-9a-f]{64}$/);
    const receipts = await timeline(pilotOps, "flag.created");
    expect(receipts.map((r) => r.id)).toEqual([body.receiptId]);
    expect(receipts[0]?.details).toMatchObject({ key: "checkout-v2", version: 1, before: null });
  });

  it("the same configuration again changes nothing", async () => {
    const body = (await (await put("checkout-v2", checkout)).json()) as Change;
    expect(body).toMatchObject({ version: 1, changed: false, receiptId: null });
  });

  it("pilot-ops and tenant admins cannot change flags; pilot-ops may read them", async () => {
    const staff = await put("checkout-v2", { ...checkout, killSwitch: true }, pilotOps);
    expect(staff.status).toBe(403);
    expect(((await staff.json()) as { decisionId?: string }).decisionId).toMatch(/^dec_/);
    expect((await put("checkout-v2", checkout, h.tenantA.apiKey)).status).toBe(403);
    expect((await h.request("/v1/flags", { key: h.tenantA.apiKey })).status).toBe(403);
    const list = (await (await h.request("/v1/flags", { key: pilotOps })).json()) as {
      items: Change[];
      digest: string;
    };
    expect(list.items.map((f) => f.key)).toEqual(["checkout-v2"]);
    expect(list.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses a configuration that names a variant it does not define (422)", async () => {
    const res = await put("broken", {
      ...checkout,
      defaultVariant: "maybe",
      tenantOverrides: { [h.tenantA.id]: "nope" },
    });
    expect(res.status).toBe(422);
    const pointers = ((await res.json()) as { errors: { pointer: string }[] }).errors.map((e) => e.pointer);
    expect(pointers).toEqual(["/defaultVariant", `/tenantOverrides/${h.tenantA.id}`]);
  });

  it("refuses a value of the wrong type and an unknown tenant", async () => {
    expect((await put("typed", { ...checkout, variants: { on: "yes", off: false } })).status).toBe(422);
    expect((await put("typed", { ...checkout, tenantOverrides: { ten_nobody: "on" } })).status).toBe(422);
  });

  it("a tenant override leaves a receipt in that tenant's log too, and only there", async () => {
    const res = await put("checkout-v2", { ...checkout, tenantOverrides: { [h.tenantA.id]: "on" } });
    const body = (await res.json()) as Change;
    expect(body).toMatchObject({ version: 2, changed: true });
    expect(body.tenantReceiptIds).toHaveLength(1);
    const theirs = await timeline(h.tenantA.apiKey, "flag.override.changed");
    expect(theirs.map((r) => r.id)).toEqual(body.tenantReceiptIds);
    expect(theirs[0]?.details).toMatchObject({
      key: "checkout-v2",
      before: null,
      after: "on",
      platformReceiptId: body.receiptId,
    });
    expect(await timeline(h.tenantB.apiKey, "flag.override.changed")).toEqual([]);
  });

  it("an override applies at once in this process: the override's tenant sees it, the other does not", async () => {
    const a = (await (await evaluate(h.tenantA.apiKey, { keys: ["checkout-v2"] })).json()) as {
      flags: unknown[];
    };
    const b = (await (await evaluate(h.tenantB.apiKey, { keys: ["checkout-v2"] })).json()) as {
      flags: unknown[];
    };
    expect(a.flags[0]).toMatchObject({ value: true, variant: "on", reason: "TARGETING_MATCH" });
    expect(b.flags[0]).toMatchObject({ value: false, variant: "off", reason: "STATIC" });
  });

  it("the kill switch serves the default to everyone, reason DISABLED", async () => {
    await put("checkout-v2", { ...checkout, killSwitch: true, tenantOverrides: { [h.tenantA.id]: "on" } });
    const a = (await (await evaluate(h.tenantA.apiKey, { keys: ["checkout-v2"] })).json()) as {
      flags: unknown[];
    };
    expect(a.flags[0]).toMatchObject({ value: false, variant: "off", reason: "DISABLED" });
  });

  it("rollback restores the exact prior configuration as a new version, receipted", async () => {
    const v1 = (await (await h.request("/v1/flags/checkout-v2/versions", { key: flagAdmin })).json()) as {
      items: { version: number; digest: string; after: unknown; change: string }[];
    };
    expect(v1.items.map((v) => [v.version, v.change])).toEqual([
      [3, "updated"],
      [2, "updated"],
      [1, "created"],
    ]);
    const target = v1.items.find((v) => v.version === 1);
    const res = await h.request("/v1/flags/checkout-v2/rollback", {
      method: "POST",
      key: flagAdmin,
      ...json({ version: 1 }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Change;
    expect(body).toMatchObject({ version: 4, changed: true, digest: target?.digest });
    expect(body.config).toEqual(target?.after);
    // The override went away: acme's timeline says so.
    const theirs = await timeline(h.tenantA.apiKey, "flag.override.changed");
    expect(theirs[0]?.details).toMatchObject({ before: "on", after: null, change: "rolled_back" });
    const platform = await timeline(pilotOps, "flag.rolled_back");
    expect(platform[0]?.details).toMatchObject({ key: "checkout-v2", version: 4, restoredVersion: 1 });
    const missing = await h.request("/v1/flags/checkout-v2/rollback", {
      method: "POST",
      key: flagAdmin,
      ...json({ version: 99 }),
    });
    expect(missing.status).toBe(404);
  });

  it("expectedVersion guards against a lost update (409)", async () => {
    expect((await put("checkout-v2", { ...checkout, description: "x", expectedVersion: 1 })).status).toBe(
      409,
    );
    expect((await put("checkout-v2", { ...checkout, description: "x", expectedVersion: 4 })).status).toBe(
      200,
    );
  });
});

describe("evaluating", () => {
  it("answers every flag, a missing one as FLAG_NOT_FOUND, and an operator-sticky ramp needs an operator", async () => {
    await put("beta-nav", {
      ...checkout,
      rollout: { percentage: 100, stickiness: "operator", variants: [{ name: "on", weight: 1 }] },
    });
    const res = await evaluate(h.tenantB.apiKey, { keys: ["beta-nav", "nope"] });
    const body = (await res.json()) as { flags: Record<string, unknown>[] };
    expect(body.flags[0]).toMatchObject({ key: "beta-nav", errorCode: "TARGETING_KEY_MISSING" });
    expect(body.flags[1]).toMatchObject({ key: "nope", errorCode: "FLAG_NOT_FOUND" });
    const withOperator = (await (
      await evaluate(h.tenantB.apiKey, { keys: ["beta-nav"], context: { targetingKey: "op_1" } })
    ).json()) as { flags: Record<string, unknown>[] };
    expect(withOperator.flags[0]).toMatchObject({
      value: true,
      reason: "SPLIT",
      metadata: { inRollout: true },
    });
  });

  it("a tenant credential cannot evaluate as another tenant", async () => {
    await put("checkout-v2", { ...checkout, tenantOverrides: { [h.tenantA.id]: "on" } });
    const res = await evaluate(h.tenantB.apiKey, {
      keys: ["checkout-v2"],
      context: { tenantId: h.tenantA.id },
    });
    const body = (await res.json()) as { flags: Record<string, unknown>[]; context: { tenantId: string } };
    expect(body.context.tenantId).toBe(h.tenantB.id);
    expect(body.flags[0]).toMatchObject({ value: false });
  });
});
