/**
 * Operators carry provenance like the other importable rows (`version`, `last_import_id`):
 * an identities plan made before an admin changed an operator through the API (role change,
 * suspend) is refused on commit with that row stale; planned after, the row is a conflict;
 * and an import over such a row is not reverted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness";
import { commit, commitAndApply, type PlanBody, plan, problemOf, rowsOf } from "./imports-support";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const key = () => h.tenantA.apiKey;
const json = (body: unknown) => ({
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

interface Operator {
  id: string;
  email: string;
  displayName: string;
  role: string;
  status: string;
}

async function operator(email: string): Promise<Operator> {
  const res = await h.request("/v1/operators?limit=200", { key: key() });
  const found = ((await res.json()) as { items: Operator[] }).items.find((o) => o.email === email);
  if (!found) throw new Error(`no operator ${email}`);
  return found;
}
const patch = async (email: string, body: Record<string, unknown>) => {
  const res = await h.request(`/v1/operators/${(await operator(email)).id}`, {
    key: key(),
    method: "PATCH",
    ...json(body),
  });
  expect(res.status).toBe(200);
};
const importCsv = async (body: string) =>
  commitAndApply(h, key(), (await plan(h, key(), { kind: "identities", body })).id);

describe("identities imports and operators changed through the API", () => {
  it("a role change after the plan makes the row stale on commit; planned again it is a conflict", async () => {
    await importCsv("email,displayName,role\nzoe@acme.example,Zoe,viewer\n");
    const reviewed = await plan(h, key(), {
      kind: "identities",
      body: "email,displayName,role\nzoe@acme.example,Zoë,viewer\n",
    });
    expect(reviewed.counts.update).toBe(1);
    await patch("zoe@acme.example", { role: "approver" });

    const refused = await commit(h, key(), reviewed.id);
    expect(refused.status).toBe(409);
    const problem = await problemOf(refused);
    expect(problem.importCode).toBe("stale_plan");
    expect(problem.staleRows).toEqual([
      { row: 1, key: "zoe@acme.example", field: "roles", planned: ["viewer"], now: ["approver"] },
      { row: 1, key: "zoe@acme.example", field: "writer", planned: "import", now: "api" },
    ]);
    expect((await operator("zoe@acme.example")).role).toBe("approver");

    const replan = (body: Record<string, unknown>) =>
      h.request("/v1/imports", { key: key(), method: "POST", ...json(body) });
    const again = (await (await replan(problem.replan?.body ?? {})).json()) as PlanBody;
    expect(again.counts).toMatchObject({ update: 0, conflict: 1 });
    expect(rowsOf(again, "conflict")[0]).toMatchObject({
      key: "zoe@acme.example",
      error: { code: "changed_outside_import" },
      changes: {
        displayName: { before: "Zoe", after: "Zoë" },
        roles: { before: ["approver"], after: ["viewer"] },
      },
    });

    // Reviewed with onConflict=overwrite, the import may set the role back.
    const overwrite = (await (
      await replan({ ...problem.replan?.body, onConflict: "overwrite" })
    ).json()) as PlanBody;
    expect(overwrite.counts.update).toBe(1);
    expect((await commitAndApply(h, key(), overwrite.id)).status).toBe("completed");
    expect(await operator("zoe@acme.example")).toMatchObject({ displayName: "Zoë", role: "viewer" });
  });

  it("a suspend after the plan makes the row stale even when the file says nothing about status", async () => {
    await importCsv("email,displayName\nyan@acme.example,Yan\n");
    const reviewed = await plan(h, key(), {
      kind: "identities",
      body: "email,displayName\nyan@acme.example,Yan Li\n",
    });
    const suspended = await h.request(`/v1/operators/${(await operator("yan@acme.example")).id}/suspend`, {
      key: key(),
      method: "POST",
    });
    expect(suspended.status).toBe(200);

    const refused = await commit(h, key(), reviewed.id);
    expect(refused.status).toBe(409);
    expect((await problemOf(refused)).staleRows).toEqual([
      { row: 1, key: "yan@acme.example", field: "writer", planned: "import", now: "api" },
    ]);
    expect(await operator("yan@acme.example")).toMatchObject({ displayName: "Yan", status: "suspended" });
  });

  it("an operator invited through the API is a conflict for an identities plan, not silently overwritten", async () => {
    const invited = await h.request("/v1/operators", {
      key: key(),
      method: "POST",
      ...json({ email: "vic@acme.example", displayName: "Vic", role: "operator" }),
    });
    expect(invited.status).toBe(201);
    const planned = await plan(h, key(), {
      kind: "identities",
      body: "email,displayName\nvic@acme.example,Victor\n",
    });
    expect(planned.counts).toMatchObject({ update: 0, conflict: 1 });
  });

  it("revert refuses to undo an import over an operator changed through the API, even when changed back", async () => {
    const imp = await importCsv("email,displayName,role\numa@acme.example,Uma,viewer\n");
    await patch("uma@acme.example", { role: "approver" });
    await patch("uma@acme.example", { role: "viewer" });
    const refused = await h.request(`/v1/imports/${imp.id}/revert`, { key: key(), method: "POST" });
    expect(refused.status).toBe(409);
    expect((await problemOf(refused)).touchedRows).toEqual([
      { row: 1, key: "uma@acme.example", field: "lastImportId", imported: imp.id, now: null },
    ]);
    expect((await operator("uma@acme.example")).role).toBe("viewer");
  });
});
