/**
 * Telemetry over HTTP: client event batches (validated one by one, deduplicated per tenant,
 * attributed to the caller, partial acceptance), server request rollups per route template
 * written off the request path, and the retention cron task.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScheduled } from "../../shared/cron/scheduled";
import { fixedClock } from "../../shared/platform/clock";
import { requestRecorderOf } from "../../shared/telemetry/platform-recorder";
import { createHarness, type Harness } from "../support/harness";
import { issueKey, opsClient } from "./ops-support";

let h: Harness;
let api: ReturnType<typeof opsClient>;
beforeAll(async () => {
  h = await createHarness();
  api = opsClient(h);
}, 60_000);
afterAll(() => h.close());

const now = () => new Date().toISOString();
const event = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: "checklist.opened",
  at: now(),
  screen: "setup/checklist",
  actionId: "open",
  properties: { step: "first_command", n: 1, ok: true, none: null },
  ...extra,
});
const ingest = (key: string, events: unknown[]) => api.call(key, "POST", "/v1/telemetry/events", { events });

describe("POST /v1/telemetry/events", () => {
  it("stores the good events, refuses the bad ones by index and why, and counts repeats as duplicates", async () => {
    const viewer = await issueKey(h, "viewer");
    const res = await ingest(viewer.key, [
      event("e1"),
      event("e2", { name: "Bad Name" }),
      event("e3", { properties: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])) }),
      event("e4", { at: new Date(Date.now() - 8 * 86_400_000).toISOString() }),
      event("e5", { properties: { nested: { no: 1 } } }),
      event("e1"),
      event("e6"),
      "not an object",
      event("e7", { receiptId: "rcpt_nope" }),
      event("e8", { extra: 1 }),
    ]);
    expect(res.status).toBe(200);
    const body = res.body as unknown as {
      accepted: number;
      duplicates: string[];
      refused: { index: number; id: string | null; errors: { pointer: string }[] }[];
    };
    expect(body.accepted).toBe(2);
    expect(body.duplicates).toEqual(["e1"]);
    expect(body.refused.map((r) => [r.index, r.id, r.errors[0]?.pointer])).toEqual([
      [1, "e2", "/name"],
      [2, "e3", "/properties"],
      [3, "e4", "/at"],
      [4, "e5", "/properties/nested"],
      [7, null, ""],
      [8, "e7", "/receiptId"],
      [9, "e8", ""],
    ]);

    // A resend stores nothing again; the same ids in another tenant are that tenant's own.
    const again = await ingest(viewer.key, [event("e1"), event("e6")]);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: ["e1", "e6"], refused: [] });
    const other = await ingest(h.tenantB.apiKey, [event("e1"), event("e6")]);
    expect(other.body).toMatchObject({ accepted: 2, duplicates: [] });

    const listed = await api.ok(h.tenantA.apiKey, "GET", "/v1/telemetry/events?source=client");
    const items = listed.items as {
      id: string;
      actor: string;
      name: string;
      screen: string;
      properties: unknown;
    }[];
    expect(items.map((i) => i.id).sort()).toEqual(["e1", "e6"]);
    expect(items[0]).toMatchObject({
      actor: `api_key:${viewer.id}`,
      name: "checklist.opened",
      screen: "setup/checklist",
      properties: { step: "first_command", n: 1, ok: true, none: null },
    });
  });

  it("documents its limits: more than 500 events a batch is a 400; an empty batch too", async () => {
    const many = Array.from({ length: 501 }, (_, i) => event(`m${i}`));
    const res = await ingest(h.tenantA.apiKey, many);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "validation_failed", errors: [{ pointer: "/events" }] });
    expect((await ingest(h.tenantA.apiKey, [])).status).toBe(400);
    const full = await ingest(
      h.tenantA.apiKey,
      Array.from({ length: 500 }, (_, i) => event(`full-${i}`)),
    );
    expect(full.body).toMatchObject({ accepted: 500, refused: [] });
  });
});

describe("server request telemetry", () => {
  it("rolls every /v1 request up by route template, with statuses, latency quantiles and the receipt it made", async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const made = await api.ok(h.tenantA.apiKey, "POST", "/v1/feedback", {
      kind: "idea",
      message: "m",
      screen: "s",
      actionId: "a",
    });
    for (let i = 0; i < 5; i++) await api.ok(h.tenantA.apiKey, "GET", `/v1/feedback/${made.id}`);
    expect((await api.call(h.tenantA.apiKey, "GET", "/v1/feedback/fb_nothing")).status).toBe(404);
    await requestRecorderOf(h.platform).flush();
    const to = new Date(Date.now() + 120_000).toISOString();
    const stats = await api.ok(h.tenantA.apiKey, "GET", `/v1/telemetry/requests?from=${from}&to=${to}`);
    type Route = {
      route: string;
      method: string;
      count: number;
      status: Record<string, number>;
      latencyMs: Record<string, number | null>;
      receipts: number;
      lastReceiptId: string | null;
      lastRequestId: string | null;
    };
    const routes = stats.routes as Route[];
    const get = routes.find((r) => r.route === "/v1/feedback/:id" && r.method === "GET");
    expect(get).toMatchObject({ count: 6, status: { "2xx": 5, "3xx": 0, "4xx": 1, "5xx": 0 }, receipts: 0 });
    expect(get?.latencyMs.p50).toBeGreaterThan(0);
    expect(get?.latencyMs.p99).toBeGreaterThanOrEqual(get?.latencyMs.p50 ?? 0);
    expect(get?.lastRequestId).toMatch(/^req_/);
    const post = routes.find((r) => r.route === "/v1/feedback" && r.method === "POST");
    expect(post).toMatchObject({ count: 1, receipts: 1, lastReceiptId: made.submittedReceiptId });
    // Never a raw path.
    expect(routes.some((r) => r.route.includes("fb_"))).toBe(false);
    expect(stats.quantileRelativeError).toBeCloseTo(0.0905, 3);
    // Another tenant sees none of it.
    const theirs = await api.ok(h.tenantB.apiKey, "GET", `/v1/telemetry/requests?from=${from}&to=${to}`);
    expect((theirs.routes as Route[]).some((r) => r.route === "/v1/feedback/:id")).toBe(false);
  });

  it("is written off the request path: on Node within a second, by the recorder's timer", async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    await api.ok(h.tenantB.apiKey, "GET", "/v1/setup/checklist");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const to = new Date(Date.now() + 120_000).toISOString();
    const stats = await api.ok(h.tenantB.apiKey, "GET", `/v1/telemetry/requests?from=${from}&to=${to}`);
    expect((stats.routes as { route: string }[]).map((r) => r.route)).toContain("/v1/setup/checklist");
  });
});

describe("retention", () => {
  it("the telemetry-retention task prunes client events after 30 days and rollups after 400, keeping action events", async () => {
    const operator = (await issueKey(h, "operator")).key;
    await api.ok(operator, "POST", "/v1/incidents", { title: "kept", severity: "SEV3", service: "svc:k" });
    await requestRecorderOf(h.platform).flush();
    const tick = (days: number) =>
      runScheduled({
        ctx: { ...h.ctx(), clock: fixedClock(new Date(Date.now() + days * 86_400_000)) },
        cron: "0 * * * *",
      });
    expect((await tick(29))["telemetry-retention"]).toMatchObject({
      ok: true,
      result: { events: 0, rollups: 0 },
    });
    const pruned = (await tick(31))["telemetry-retention"] as { result: { events: number } };
    expect(pruned.result.events).toBeGreaterThanOrEqual(504);
    const left = await api.ok(h.tenantA.apiKey, "GET", "/v1/telemetry/events?limit=200");
    const sources = new Set((left.items as { source: string }[]).map((i) => i.source));
    expect(sources).toEqual(new Set(["action"]));
    const rollups = (await tick(401))["telemetry-retention"] as { result: { rollups: number } };
    expect(rollups.result.rollups).toBeGreaterThan(0);
  });
});
