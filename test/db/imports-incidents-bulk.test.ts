import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stateModules } from "../../shared/imports/state";
import { createHarness, type Harness } from "../support/harness";
import { commitAndApply, plan, sample, storedIncidents } from "./imports-support";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
}, 60_000);
afterAll(() => h.close());

async function importSample(key: string) {
  const p = await plan(h, key, { kind: "incidents", body: sample("incidents/pagerduty-export.csv") });
  expect((await commitAndApply(h, key, p.id)).status).toBe("completed");
}

describe("incident create chunks", () => {
  it("store the same rows through the bulk path as through the row-by-row write", async () => {
    await importSample(h.tenantA.apiKey);
    const state = stateModules.incidents;
    const bulk = state.insertPlanned;
    delete state.insertPlanned;
    try {
      await importSample(h.tenantB.apiKey);
    } finally {
      state.insertPlanned = bulk;
    }
    const [viaBulk, viaWrite] = [
      await storedIncidents(h, h.tenantA.id),
      await storedIncidents(h, h.tenantB.id),
    ];
    expect(viaBulk.length).toBeGreaterThan(0);
    expect(viaBulk).toEqual(viaWrite);
    expect(viaBulk.some((r) => r.escalationPolicy && r.acknowledgedAt && r.assignee)).toBe(true);
  });
});
