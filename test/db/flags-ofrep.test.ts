/**
 * OFREP as an OpenFeature client reads it: the real `@openfeature/server-sdk` with the
 * `@openfeature/ofrep-provider`, against the app served on a loopback port. Its values and
 * reasons equal the native endpoint's.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { OFREPProvider } from "@openfeature/ofrep-provider";
import { OpenFeature } from "@openfeature/server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueFlagAdminKey } from "../../shared/tenants/tenant-admin";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
let server: ReturnType<typeof serve>;
let baseUrl: string;
let flagAdmin: string;
const json = (body: unknown) => ({
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const put = (key: string, body: unknown) =>
  h.request(`/v1/flags/${key}`, { method: "PUT", key: flagAdmin, ...json(body) });
const post = (path: string, key: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  h = await createHarness();
  flagAdmin = (await issueFlagAdminKey({ ctx: h.ctx(), input: { name: "flags" } })).secret;
  server = serve({ fetch: h.app.fetch, hostname: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const bool = { type: "boolean", variants: { on: true, off: false }, defaultVariant: "off" };
  await put("checkout-v2", { ...bool, tenantOverrides: { [h.tenantA.id]: "on" } });
  await put("banner-text", {
    type: "string",
    variants: { calm: "Welcome", loud: "WELCOME!" },
    defaultVariant: "calm",
  });
  await put("page-size", {
    type: "number",
    variants: { small: 20, large: 100 },
    defaultVariant: "small",
    rollout: { percentage: 100, stickiness: "tenant", variants: [{ name: "large", weight: 1 }] },
  });
  await put("limits", { type: "object", variants: { v1: { rows: 10, deep: true } }, defaultVariant: "v1" });
  await put("killed", { ...bool, killSwitch: true, tenantOverrides: { [h.tenantA.id]: "on" } });
  await put("by-operator", {
    ...bool,
    rollout: { percentage: 100, stickiness: "operator", variants: [{ name: "on", weight: 1 }] },
  });
}, 120_000);
afterAll(async () => {
  await OpenFeature.close();
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});

describe("OpenFeature server SDK through the OFREP provider", () => {
  it("gets the same values, variants and reasons as the native endpoint", async () => {
    await OpenFeature.setProviderAndWait(
      "acme",
      new OFREPProvider({ baseUrl, headers: [["authorization", `Bearer ${h.tenantA.apiKey}`]] }),
    );
    const client = OpenFeature.getClient("acme");
    const sdk = {
      "checkout-v2": await client.getBooleanDetails("checkout-v2", false),
      "banner-text": await client.getStringDetails("banner-text", "?"),
      "page-size": await client.getNumberDetails("page-size", 0),
      limits: await client.getObjectDetails("limits", {}),
      killed: await client.getBooleanDetails("killed", true),
    };
    const native = (await (
      await h.request("/v1/flags/evaluate", {
        method: "POST",
        key: h.tenantA.apiKey,
        ...json({ keys: Object.keys(sdk) }),
      })
    ).json()) as { flags: { key: string; value: unknown; variant: string; reason: string }[] };
    for (const n of native.flags) {
      const s = sdk[n.key as keyof typeof sdk];
      expect({ key: n.key, value: s.value, variant: s.variant, reason: s.reason }).toEqual({
        key: n.key,
        value: n.value,
        variant: n.variant,
        reason: n.reason,
      });
    }
    expect(sdk["checkout-v2"]).toMatchObject({ value: true, reason: "TARGETING_MATCH" });
    expect(sdk["page-size"]).toMatchObject({ value: 100, reason: "SPLIT" });
    expect(sdk.killed).toMatchObject({ value: false, reason: "DISABLED" });
    expect(sdk.limits.value).toEqual({ rows: 10, deep: true });
    expect(sdk["checkout-v2"].flagMetadata).toMatchObject({ flagVersion: 1 });
  });

  it("maps OFREP errors: a missing flag and a missing targeting key fall back to the code default", async () => {
    const client = OpenFeature.getClient("acme");
    const missing = await client.getBooleanDetails("no-such-flag", true);
    expect(missing).toMatchObject({ value: true, errorCode: "FLAG_NOT_FOUND", reason: "ERROR" });
    const noKey = await client.getBooleanDetails("by-operator", false);
    expect(noKey).toMatchObject({ value: false, errorCode: "TARGETING_KEY_MISSING" });
    const withKey = await client.getBooleanDetails("by-operator", false, { targetingKey: "op_123" });
    expect(withKey).toMatchObject({ value: true, reason: "SPLIT" });
  });

  it("another tenant's client sees its own targeting", async () => {
    await OpenFeature.setProviderAndWait(
      "globex",
      new OFREPProvider({ baseUrl, headers: [["authorization", `Bearer ${h.tenantB.apiKey}`]] }),
    );
    const details = await OpenFeature.getClient("globex").getBooleanDetails("checkout-v2", true);
    expect(details).toMatchObject({ value: false, variant: "off", reason: "STATIC" });
  });
});

describe("OFREP over HTTP", () => {
  it("single evaluation error shapes: 404 FLAG_NOT_FOUND, 400 INVALID_CONTEXT and PARSE_ERROR", async () => {
    const notFound = await post("/ofrep/v1/evaluate/flags/nope", h.tenantA.apiKey, { context: {} });
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ key: "nope", errorCode: "FLAG_NOT_FOUND" });
    const invalid = await post("/ofrep/v1/evaluate/flags/checkout-v2", h.tenantA.apiKey, {
      context: { targetingKey: 42 },
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ key: "checkout-v2", errorCode: "INVALID_CONTEXT" });
    const parse = await post("/ofrep/v1/evaluate/flags/checkout-v2", h.tenantA.apiKey, "{not json");
    expect(parse.status).toBe(400);
    expect(await parse.json()).toMatchObject({ errorCode: "PARSE_ERROR" });
    const anonymous = await fetch(`${baseUrl}/ofrep/v1/evaluate/flags/checkout-v2`, {
      method: "POST",
      ...json({ context: {} }),
    });
    expect(anonymous.status).toBe(401);
  });

  it("bulk evaluation carries an ETag; unchanged configuration answers 304; a change a new ETag", async () => {
    const first = await post("/ofrep/v1/evaluate/flags", h.tenantA.apiKey, {
      context: { targetingKey: "op_1" },
    });
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const body = (await first.json()) as { flags: { key: string }[]; metadata: { flagSetDigest: string } };
    expect(body.flags.map((f) => f.key).sort()).toEqual(
      ["banner-text", "by-operator", "checkout-v2", "killed", "limits", "page-size"].sort(),
    );
    const again = await post(
      "/ofrep/v1/evaluate/flags",
      h.tenantA.apiKey,
      { context: { targetingKey: "op_1" } },
      {
        "if-none-match": etag ?? "",
      },
    );
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    // Another context is another answer.
    const other = await post(
      "/ofrep/v1/evaluate/flags",
      h.tenantB.apiKey,
      { context: { targetingKey: "op_1" } },
      {
        "if-none-match": etag ?? "",
      },
    );
    expect(other.status).toBe(200);
    await put("banner-text", {
      type: "string",
      variants: { calm: "Welcome", loud: "WELCOME!" },
      defaultVariant: "loud",
    });
    const changed = await post(
      "/ofrep/v1/evaluate/flags",
      h.tenantA.apiKey,
      { context: { targetingKey: "op_1" } },
      {
        "if-none-match": etag ?? "",
      },
    );
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });
});
