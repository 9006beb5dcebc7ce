/**
 * The plan writer: a new row's line written from its fields' JSON is the line the PlanRow
 * itself would give; objects are written while rows go on arriving, every row lands in
 * its object, and a failed write fails the dry run instead of leaving a plan with a hole.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLineParts, planWriter, readPlanObject } from "../../shared/imports/framework/plan/plan-store";
import type { PlanRow } from "../../shared/imports/framework/types";
import type { ObjectStore } from "../../shared/platform/ports";
import { createFsStore } from "../../shared/platform/store-fs";
import { ndjsonPlan } from "../support/plans";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "sb-plan-writer-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const fields = { id: "Q1", number: 7, title: 'Quote " and \\ and é🚀', description: null };

const createLine = (...args: Parameters<typeof createLineParts>) => createLineParts(...args).join("");

describe("createLineParts", () => {
  it("is JSON.stringify of the PlanRow, with and without warnings", () => {
    const record = { row: 3, key: 'k"1', entity: "incident", fields: JSON.stringify(fields) };
    const planned: PlanRow = {
      row: 3,
      key: 'k"1',
      entity: "incident",
      action: "create",
      fields,
      decisionId: "dec_1",
      decision: "allow",
    };
    expect(createLine(record, "dec_1")).toBe(JSON.stringify(planned));
    expect(createLineParts(record, "dec_1")[1]).toBe(record.fields);
    const warnings = [{ column: "title", code: "formula_like", message: "Kept as text." }];
    expect(createLine({ ...record, warnings }, "dec_1")).toBe(JSON.stringify({ ...planned, warnings }));
  });
});

describe("the plan writer", () => {
  it("puts every row in its object, in order, while writes overlap", async () => {
    const store = createFsStore(join(root, "ok"));
    const writer = planWriter(store, "p", 10);
    for (let row = 1; row <= 95; row++) {
      await writer.addNew({ row, key: `k${row}`, entity: "incident", fields: "{}" }, "dec");
    }
    await writer.add({ row: 96, action: "reject", decisionId: "dec", decision: "allow" });
    const { files, counts } = await writer.finish();
    expect(counts).toEqual({ total: 96, create: 95, update: 0, unchanged: 0, reject: 1, conflict: 0 });
    expect(files).toMatchObject({ create: 10, reject: 1 });
    const rows: PlanRow[] = [];
    for (let file = 0; file < files.create; file++)
      rows.push(...(await readPlanObject(store, ndjsonPlan("p"), "create", file)));
    expect(rows.map((r) => r.row)).toEqual(Array.from({ length: 95 }, (_, i) => i + 1));
  });

  it("fails the next add, or finish, when an object could not be written", async () => {
    const fs = createFsStore(join(root, "failing"));
    let puts = 0;
    const store: ObjectStore = {
      ...fs,
      put: (key, body, options) => {
        puts += 1;
        return puts === 2 ? Promise.reject(new Error("disk full")) : fs.put(key, body, options);
      },
    };
    const writer = planWriter(store, "p", 2);
    const adding = async () => {
      for (let row = 1; row <= 20; row++) {
        await writer.addNew({ row, key: `k${row}`, entity: "incident", fields: "{}" }, "dec");
      }
      await writer.finish();
    };
    await expect(adding()).rejects.toThrow("disk full");
  });
});
