/**
 * Incidents that arrive through the imports API are worked like any other: acknowledged,
 * resolved, a runbook launched for them, a command issued. Their history keeps the imported
 * timestamps ahead of the new actions, and the list carries the same links as the incident.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness";
import { commitAndApply, plan, sample } from "./imports-support";
import { type Body, issueKey, opsClient } from "./ops-support";

let h: Harness;
let api: ReturnType<typeof opsClient>;
let operator: string;
let byKey: Map<string, Body>;
beforeAll(async () => {
  h = await createHarness();
  api = opsClient(h);
  operator = (await issueKey(h, "operator")).key;
  const admin = h.tenantA.apiKey;
  for (const input of [
    { kind: "incidents", body: sample("incidents/pagerduty-export.csv") },
    { kind: "runbooks", body: sample("runbooks/restart-checkout.yaml"), contentType: "application/yaml" },
  ]) {
    const planned = await plan(h, admin, input);
    expect((await commitAndApply(h, admin, planned.id)).status).toBe("completed");
  }
  const listed = (await api.ok(operator, "GET", "/v1/incidents?limit=50")).items as Body[];
  byKey = new Map(listed.map((i) => [String(i.key), i]));
}, 60_000);
afterAll(() => h.close());

type History = { event: string; at: string }[];
const imported = (key: string) => {
  const incident = byKey.get(key);
  expect(incident, `imported incident ${key}`).toMatchObject({ source: "import" });
  return incident as Body;
};

describe("imported incidents", () => {
  it("a triggered one is acknowledged, gets a runbook run and a command, and is resolved; history in order", async () => {
    const incident = imported("Q4QR2S3T4U5V6W");
    expect(incident).toMatchObject({ status: "triggered", openedAt: "2026-10-09T18:45:30.000Z" });
    const before = Date.now();

    const acked = await api.ok(operator, "POST", `/v1/incidents/${incident.id}/acknowledge`);
    expect(acked).toMatchObject({ status: "acknowledged", receiptId: expect.stringMatching(/^rcpt_/) });

    const runbooks = (await api.ok(operator, "GET", "/v1/runbooks")).items as Body[];
    const runbook = runbooks.find((r) => r.key === "restart-checkout-api") as Body;
    const run = await api.ok(operator, "POST", `/v1/runbooks/${runbook.id}/runs`, {
      incidentId: incident.id,
      inputs: { zone: "eu-west-1b" },
    });
    expect(run).toMatchObject({ incidentId: incident.id, status: "waiting" });
    const command = await api.ok(operator, "POST", "/v1/commands", {
      name: "search.reindex",
      target: "svc:search",
      incidentId: incident.id,
    });

    const resolved = await api.ok(operator, "POST", `/v1/incidents/${incident.id}/resolve`, {
      severity: "SEV2",
      resolution: "reindexed",
    });
    expect(resolved).toMatchObject({ status: "resolved", severity: "SEV2", source: "import" });
    const history = resolved.history as History;
    expect(history.map((e) => e.event)).toEqual(["opened", "acknowledged", "resolved"]);
    expect(history[0]?.at).toBe("2026-10-09T18:45:30.000Z");
    for (const e of history.slice(1)) expect(Date.parse(e.at)).toBeGreaterThanOrEqual(before - 1000);
    expect(resolved.links).toEqual({ runbookRuns: [run.id], commands: [command.id] });

    const receipts = (
      (await api.ok(operator, "GET", `/v1/timeline?subject=incident:${incident.id}`)).items as Body[]
    )
      .map((r) => r.kind)
      .reverse();
    expect(receipts).toEqual(["incident.acknowledged", "incident.resolved"]);
  });

  it("an acknowledged one keeps its imported acknowledgement when it is resolved", async () => {
    const incident = imported("Q3HJ5K6L7M8N9P");
    expect(incident).toMatchObject({ status: "acknowledged", acknowledgedAt: "2026-10-08T09:30:00.000Z" });
    const again = await api.call(operator, "POST", `/v1/incidents/${incident.id}/acknowledge`);
    expect(again.status).toBe(409);
    const resolved = await api.ok(operator, "POST", `/v1/incidents/${incident.id}/resolve`, {});
    expect((resolved.history as History).slice(0, 2)).toEqual([
      { event: "opened", at: "2026-10-08T09:00:00.000Z" },
      { event: "acknowledged", at: "2026-10-08T09:30:00.000Z" },
    ]);
    expect((resolved.history as History)[2]?.event).toBe("resolved");
    expect(Date.parse(String(resolved.resolvedAt))).toBeGreaterThan(Date.parse("2026-10-08T09:30:00Z"));
  });

  it("a resolved one is not resolved again, yet a runbook can still be launched for its follow-up", async () => {
    const incident = imported("Q1VZ6X9V2B3Z7A");
    expect(incident).toMatchObject({ status: "resolved", resolvedAt: "2026-10-03T15:10:02.000Z" });
    expect((await api.call(operator, "POST", `/v1/incidents/${incident.id}/resolve`, {})).status).toBe(409);
    const runbooks = (await api.ok(operator, "GET", "/v1/runbooks")).items as Body[];
    const runbook = runbooks.find((r) => r.key === "restart-checkout-api") as Body;
    const run = await api.ok(operator, "POST", `/v1/runbooks/${runbook.id}/runs`, {
      incidentId: incident.id,
      inputs: { zone: "us-east-1a" },
    });
    const read = await api.ok(operator, "GET", `/v1/incidents/${incident.id}`);
    expect(read.links).toEqual({ runbookRuns: [run.id], commands: [] });
    expect(read.resolvedAt).toBe("2026-10-03T15:10:02.000Z");
  });

  it("the list carries the same links as each incident", async () => {
    const listed = (await api.ok(operator, "GET", "/v1/incidents?limit=50")).items as Body[];
    const withLinks = listed.filter((i) => {
      const links = i.links as { runbookRuns: string[]; commands: string[] };
      return links.runbookRuns.length + links.commands.length > 0;
    });
    expect(withLinks.length).toBeGreaterThanOrEqual(2);
    for (const item of listed) {
      const one = await api.ok(operator, "GET", `/v1/incidents/${item.id}`);
      expect(item.links, String(item.key)).toEqual(one.links);
    }
    // Paged, too: each page's links are its own incidents'.
    const first = await api.ok(operator, "GET", "/v1/incidents?limit=2");
    const second = await api.ok(operator, "GET", `/v1/incidents?limit=2&cursor=${first.nextCursor}`);
    for (const item of [...(first.items as Body[]), ...(second.items as Body[])]) {
      expect(item.links).toEqual(listed.find((l) => l.id === item.id)?.links);
    }
  });
});
