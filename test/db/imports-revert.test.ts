/** Revert: planned (refused when a later change touched the rows), policy-gated, through the queue, receipted. */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { incidents, operators, receipts, runbooks, runbookVersions } from "../../shared/db/schema";
import { createHarness, type Harness } from "../support/harness";
import {
  commitAndApply,
  type ImportBody,
  incidentsCsv,
  mediaTypes,
  plan,
  problemOf,
  sample,
} from "./imports-support";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

/** POST …/revert; a revert it starts (202) is left to the queue, then the import is read back. */
const revert = async (id: string, key = h.tenantA.apiKey) => {
  const res = await h.request(`/v1/imports/${id}/revert`, { key, method: "POST" });
  if (res.status !== 202) return res;
  expect(((await res.json()) as ImportBody).status).toBe("reverting");
  await h.platform.queue.drain();
  return h.request(`/v1/imports/${id}`, { key });
};

const runbookJson = (title: string) =>
  JSON.stringify([
    { id: "page-owner", title, version: 2, steps: [{ id: "page", title: "Page", kind: "manual" }] },
  ]);

describe("revert", () => {
  it("undoes an update (a new runbook version back to the old content) and then a create", async () => {
    const key = h.tenantA.apiKey;
    const json = { kind: "runbooks", contentType: mediaTypes.json };
    const created = await commitAndApply(
      h,
      key,
      (await plan(h, key, { ...json, body: runbookJson("Escalate") })).id,
    );
    const updated = await commitAndApply(
      h,
      key,
      (await plan(h, key, { ...json, body: runbookJson("Escalate now") })).id,
    );
    const db = h.ctx().db;
    const title = async () =>
      (await db.select().from(runbooks).where(eq(runbooks.tenantId, h.tenantA.id)))[0]?.title;
    expect(await title()).toBe("Escalate now");

    const refused = await revert(created.id);
    expect(refused.status).toBe(409);
    const problem = await problemOf(refused);
    expect(problem).toMatchObject({ importCode: "touched_since" });
    expect(problem.touchedRows).toContainEqual(
      expect.objectContaining({
        key: "page-owner",
        field: "title",
        imported: "Escalate",
        now: "Escalate now",
      }),
    );

    const res = await revert(updated.id);
    expect(res.status).toBe(200);
    const body = (await res.json()) as ImportBody;
    expect(body).toMatchObject({ status: "reverted" });
    expect(body.receipts.reverted).toMatch(/^rcpt_/);
    expect(await title()).toBe("Escalate");
    const versions = await db
      .select()
      .from(runbookVersions)
      .where(eq(runbookVersions.tenantId, h.tenantA.id));
    expect(versions.map((v) => v.versionNo).sort()).toEqual([1, 2, 3]);
    const again = await revert(updated.id);
    expect(((await again.json()) as ImportBody).receipts.reverted).toBe(body.receipts.reverted);
    const [receipt] = await db
      .select()
      .from(receipts)
      .where(and(eq(receipts.tenantId, h.tenantA.id), eq(receipts.id, body.receipts.reverted ?? "")));
    expect(receipt).toMatchObject({ kind: "import.reverted", subject: `import:${updated.id}` });
  });

  it("deletes what an incidents import created; refuses an identities revert after an API edit", async () => {
    const key = h.tenantA.apiKey;
    const imp = await commitAndApply(
      h,
      key,
      (await plan(h, key, { kind: "incidents", body: incidentsCsv(5) })).id,
    );
    expect((await revert(imp.id)).status).toBe(200);
    expect(await h.ctx().db.select().from(incidents).where(eq(incidents.tenantId, h.tenantA.id))).toEqual([]);

    const people = await commitAndApply(
      h,
      key,
      (await plan(h, key, { kind: "identities", body: sample("identities/entra-users.csv") })).id,
    );
    await h
      .ctx()
      .db.update(operators)
      .set({ status: "active" })
      .where(and(eq(operators.tenantId, h.tenantA.id), eq(operators.email, "noor.haddad@contoso.example")));
    const refused = await revert(people.id);
    expect(refused.status).toBe(409);
    expect((await problemOf(refused)).touchedRows).toEqual([
      {
        row: 3,
        key: "noor.haddad@contoso.example",
        field: "lastImportId",
        imported: people.id,
        now: null,
      },
      { row: 3, key: "noor.haddad@contoso.example", field: "status", imported: "suspended", now: "active" },
    ]);
    const operator = await h.tenantA.keyFor("operator");
    expect((await revert(people.id, operator)).status).toBe(403);
  });
});
