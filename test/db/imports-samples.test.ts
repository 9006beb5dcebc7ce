/** Every partner sample dry-runs and commits as it is; committing the same content again changes nothing. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  graphEdges,
  graphEntities,
  incidents,
  jobs,
  operators,
  runbooks,
  runbookVersions,
} from "../../shared/db/schema";
import { createHarness, type Harness } from "../support/harness";
import {
  commitAndApply,
  groupRoleMap,
  mediaTypes,
  type PlanBody,
  plan,
  planRequest,
  rowsOf,
  sample,
} from "./imports-support";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

interface Case {
  file: string;
  kind: string;
  format: string;
  options?: string;
  creates: number;
}

const cases: Case[] = [
  {
    file: "identities/okta-users.csv",
    kind: "identities",
    format: "csv",
    options: `{"groupRoleMap":${groupRoleMap}}`,
    creates: 5,
  },
  { file: "identities/entra-users.csv", kind: "identities", format: "csv", creates: 3 },
  { file: "identities/roles.csv", kind: "identities", format: "csv", creates: 0 },
  {
    file: "identities/scim-export.json",
    kind: "identities",
    format: "scim",
    options: `{"groupRoleMap":${groupRoleMap}}`,
    creates: 0,
  },
  { file: "runbooks/restart-checkout.yaml", kind: "runbooks", format: "yaml", creates: 1 },
  { file: "runbooks/runbooks.json", kind: "runbooks", format: "json", creates: 2 },
  { file: "incidents/pagerduty-export.csv", kind: "incidents", format: "csv", creates: 4 },
  { file: "graph/entities.json", kind: "graph", format: "json", creates: 5 },
  { file: "graph/edges.csv", kind: "graph", format: "csv", creates: 5 },
];

describe("partner samples: dry-run, commit, commit again", () => {
  for (const c of cases) {
    it(`${c.file}`, async () => {
      const input = {
        kind: c.kind,
        body: sample(c.file),
        contentType: mediaTypes[c.format],
        ...(c.options ? { options: c.options } : {}),
      };
      const first = await plan(h, h.tenantA.apiKey, input);
      expect(first.counts.reject, JSON.stringify(rowsOf(first, "reject"))).toBe(0);
      expect(first.counts.conflict).toBe(0);
      if (c.creates > 0) expect(first.counts.create).toBe(c.creates);
      expect(first.receiptId).toMatch(/^rcpt_/);

      const applied = await commitAndApply(h, h.tenantA.apiKey, first.id);
      expect(applied.status, applied.error ?? "").toBe("completed");
      expect(applied.progress.rowsApplied).toBe(first.counts.create + first.counts.update);
      expect(applied.receipts.committed).toMatch(/^rcpt_/);

      const again = await plan(h, h.tenantA.apiKey, input);
      expect(again.id).not.toBe(first.id);
      expect(again.counts).toMatchObject({ create: 0, update: 0, reject: 0, unchanged: first.counts.total });
      const second = await commitAndApply(h, h.tenantA.apiKey, again.id);
      expect(second.id).toBe(applied.id);
      expect(second.receipts.committed).toBe(applied.receipts.committed);
    });
  }
});

describe("what the samples left in the tenant's state", () => {
  const db = () => h.ctx().db;
  const mine = <T extends { tenantId: unknown }>(table: T) => eq(table.tenantId as never, h.tenantA.id);

  it("operators carry every role, the most privileged as `role`, and SCIM kept the Okta roles it agrees with", async () => {
    const people = await db().select().from(operators).where(mine(operators));
    const ana = people.find((o) => o.email === "ana.ruiz@northwind.example");
    expect(ana).toMatchObject({ role: "admin", roles: ["admin", "operator"], status: "active" });
    expect(people.find((o) => o.email === "carla.mendes@northwind.example")).toMatchObject({
      role: "approver",
      roles: ["approver", "operator"],
    });
    expect(people.find((o) => o.email === "noor.haddad@contoso.example")).toMatchObject({
      status: "suspended",
      displayName: "Haddad, Noor",
    });
  });

  it("runbooks are versioned by content; incidents keep their history and notify no one; the graph is whole", async () => {
    const books = await db().select().from(runbooks).where(mine(runbooks));
    expect(books.map((b) => [b.key, b.currentVersion]).sort()).toEqual([
      ["page-owner", 1],
      ["restart-checkout-api", 1],
      ["rotate-db-credentials", 1],
    ]);
    expect(await db().select().from(runbookVersions).where(mine(runbookVersions))).toHaveLength(3);

    const found = await db().select().from(incidents).where(mine(incidents));
    const q1 = found.find((i) => i.key === "Q1VZ6X9V2B3Z7A");
    expect(q1).toMatchObject({
      source: "import",
      number: 1042,
      status: "resolved",
      runbook: "restart-checkout-api",
    });
    expect(q1?.openedAt.toISOString()).toBe("2026-10-03T14:02:11.000Z");
    expect(q1?.resolvedAt?.toISOString()).toBe("2026-10-03T15:10:02.000Z");
    const queued = await db().select({ type: jobs.type }).from(jobs);
    expect(new Set(queued.map((j) => j.type))).toEqual(new Set(["import.chunk"]));

    expect(await db().select().from(graphEntities).where(mine(graphEntities))).toHaveLength(5);
    const edges = await db().select().from(graphEdges).where(mine(graphEdges));
    expect(edges.map((e) => `${e.fromKey} ${e.type} ${e.toKey}`)).toContain(
      "team:platform owns svc:checkout-api",
    );
    expect(edges).toHaveLength(5);
  });

  it("re-planning the same file against the same state returns the same plan", async () => {
    const input = { kind: "incidents", body: sample("incidents/pagerduty-export.csv") };
    const first = await planRequest(h, h.tenantA.apiKey, input);
    const again = await planRequest(h, h.tenantA.apiKey, input);
    expect(again.status).toBe(200);
    expect(((await again.json()) as PlanBody).id).toBe(((await first.json()) as PlanBody).id);
  });
});
