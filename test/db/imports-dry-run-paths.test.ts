/**
 * The dry run's two ways of reading a file and its shortcut for an empty kind: a file read
 * in a reader thread (Node, large files) plans exactly what an inline read plans, and a
 * plan made against a kind never written (read without a state query) is still refused at
 * commit when a row it would create appeared meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createThreadReader } from "../../shared/platform/import-reader/host";
import { createHarness, type Harness } from "../support/harness";
import { commit, commitAndApply, incidentsCsv, type PlanBody, plan, problemOf } from "./imports-support";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

/** Counts and the first page of every class, without the decision ids (they name the tenant's decision). */
const planned = (p: PlanBody) => ({
  counts: p.counts,
  rows: Object.fromEntries(
    Object.entries(p.rows).map(([action, page]) => [
      action,
      page.items.map(({ decisionId: _, ...row }) => row),
    ]),
  ),
});

describe("a dry run", () => {
  it("plans the same rows whether the file is read inline or in a reader thread", async () => {
    const file = [
      incidentsCsv(40).trimEnd(),
      "inc-3,Duplicate of an earlier row,resolved,low,2026-01-01T00:00:03Z",
      "inc-bad,Bad time,resolved,low,yesterday",
      'inc-formula,=HYPERLINK("x"),resolved,low,2026-01-01T00:00:05Z',
      "",
    ].join("\n");
    const inline = await plan(h, h.tenantA.apiKey, { kind: "incidents", body: file });
    const inlineReader = h.platform.importReader;
    h.platform.importReader = createThreadReader({ threads: 1, minBytes: 0 });
    try {
      const threaded = await plan(h, h.tenantB.apiKey, { kind: "incidents", body: file });
      expect(threaded.counts).toEqual({
        total: 43,
        create: 41,
        update: 0,
        unchanged: 0,
        reject: 2,
        conflict: 0,
      });
      expect(planned(threaded)).toEqual(planned(inline));
    } finally {
      h.platform.importReader = inlineReader;
    }
  });

  it("made against a kind never written, is refused at commit once a row it creates exists", async () => {
    const key = h.tenantA.apiKey;
    const runbooks = (ids: string[]) =>
      JSON.stringify(
        ids.map((id) => ({ id, title: id, version: 1, steps: [{ id: "s", title: "S", kind: "manual" }] })),
      );
    const first = await plan(h, key, {
      kind: "runbooks",
      contentType: "application/json",
      body: runbooks(["a", "b", "c"]),
    });
    expect(first.watermark).toBe(0);
    expect(first.counts.create).toBe(3);
    const meanwhile = await plan(h, key, {
      kind: "runbooks",
      contentType: "application/json",
      body: runbooks(["b"]),
    });
    await commitAndApply(h, key, meanwhile.id);

    const refused = await commit(h, key, first.id);
    expect(refused.status).toBe(409);
    expect(await problemOf(refused)).toMatchObject({
      importCode: "stale_plan",
      staleTotal: 1,
      staleRows: [expect.objectContaining({ row: 2, key: "b", planned: null })],
    });
  });
});
