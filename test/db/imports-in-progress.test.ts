/**
 * One import of a kind applies at a time: while one is applying, committing another plan of
 * that kind is 409 `import_in_progress` naming it; once it completes the other commits.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createHarness, type Harness } from "../support/harness";
import { commit, getImport, type ImportBody, incidentsCsv, plan, problemOf } from "./imports-support";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("import_in_progress", () => {
  it("refuses a second plan of a kind while the first applies, then lets it commit", async () => {
    const key = h.tenantA.apiKey;
    const first = await plan(h, key, { kind: "incidents", body: incidentsCsv(2500) });
    const second = await plan(h, key, { kind: "incidents", body: incidentsCsv(3, { start: 50_000 }) });
    const runbooks = await plan(h, key, {
      kind: "runbooks",
      contentType: "application/json",
      body: JSON.stringify([
        { id: "rb-1", title: "T", version: 1, steps: [{ id: "a", title: "A", kind: "manual" }] },
      ]),
    });

    // The first import's chunk messages are held back, so it stays applying.
    const held = vi.spyOn(h.platform.queue, "send").mockResolvedValue(undefined);
    let applying: ImportBody;
    try {
      const res = await commit(h, key, first.id);
      expect(res.status).toBe(202);
      applying = (await res.json()) as ImportBody;
      expect(applying.status).toBe("applying");

      const refused = await commit(h, key, second.id);
      expect(refused.status).toBe(409);
      const problem = await problemOf(refused);
      expect(problem).toMatchObject({
        code: "conflict",
        importCode: "import_in_progress",
        importId: applying.id,
      });
      expect(problem.detail).toContain(applying.id);
      // Nothing of the second plan was applied or even recorded as an import.
      const list = await h.request("/v1/imports?kind=incidents", { key });
      expect(((await list.json()) as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([
        applying.id,
      ]);

      // Another kind is not blocked.
      expect((await commit(h, key, runbooks.id)).status).toBe(202);
    } finally {
      held.mockRestore();
    }

    // Let the first finish (its chunks are re-sent by resume), then the second commits.
    expect((await h.request(`/v1/imports/${applying.id}/resume`, { key, method: "POST" })).status).toBe(202);
    await h.platform.queue.drain();
    expect((await getImport(h, key, applying.id)).status).toBe("completed");

    const res = await commit(h, key, second.id);
    expect(res.status).toBe(202);
    await h.platform.queue.drain();
    const done = await getImport(h, key, ((await res.json()) as ImportBody).id);
    expect(done).toMatchObject({ status: "completed", progress: { rowsApplied: 3 } });
  });
});
