/**
 * Create rows kept as slices of the source: read back through the store, a slice gives
 * exactly the plan rows the NDJSON line of each record would have held — across parsed
 * pieces, with a byte order mark, CRLF, quoted newlines, multi-byte characters, blank lines,
 * rejected rows and rows the plan does not create in between — and a source that no
 * longer reads as planned fails the read instead of applying something else.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlanFiles } from "../../shared/db/schema";
import {
  createLineParts,
  planRows,
  planWriter,
  type StoredPlan,
} from "../../shared/imports/framework/plan/plan-store";
import { type ReadRequest, readItems } from "../../shared/imports/framework/plan/read-items";
import { sourceKey } from "../../shared/imports/framework/sources/sources";
import type { PlanRow } from "../../shared/imports/framework/types";
import { resolveLimits } from "../../shared/imports/limits";
import { createFsStore } from "../../shared/platform/store-fs";
import { bytes, sample, streamOf } from "../fixtures/imports/helpers";
import { ndjsonPlan } from "../support/plans";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "sb-slices-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const header =
  "Incident ID,Incident Number,Title,Description,Status,Urgency,Service Name,Created On,Resolved On,Assigned To";

/** ~`rows` incidents with everything a slice must carry over; every 50th row is rejected. */
function trickyCsv(rows: number, newline = "\r\n"): string {
  const lines = [header];
  for (let i = 1; i <= rows; i++) {
    if (i % 97 === 0) lines.push(""); // a blank line keeps its row number
    const created = `2025-0${1 + (i % 9)}-1${i % 10}T0${i % 10}:00:00${i % 3 === 0 ? "+02:00" : "Z"}`;
    const bad = i % 50 === 0 ? "not a time" : created;
    const description = `"Zürich 🚀 ${"é".repeat(i % 40)}, ""quoted""${i % 7 === 0 ? "\nsecond line" : ""}"`;
    lines.push(
      [
        `INC-${i}`,
        1000 + i,
        `=SUM(A${i})`,
        description,
        "Resolved",
        "high",
        "checkout",
        bad,
        "",
        `o${i}@x.example`,
      ].join(","),
    );
  }
  return `\uFEFF${lines.join(newline)}${newline}`;
}

const request = (limits = resolveLimits()): ReadRequest => ({
  kind: "incidents",
  format: "csv",
  mapping: {},
  options: {},
  limits,
  boundaries: true,
});

/**
 * Plans `file` as a dry run would, against a watermark with rows that exist already: every
 * `skip`-th record is not a create. Returns the plan and the create rows its lines would hold.
 */
async function plan(file: Uint8Array, prefix: string, rowsPerChunk: number, skip = 4) {
  const store = createFsStore(join(root, prefix));
  const sha256 = "a".repeat(64);
  await store.put(sourceKey("ten_1", sha256), file);
  const writer = planWriter(store, prefix, rowsPerChunk, { sliced: true });
  const expected: PlanRow[] = [];
  let records = 0;
  for await (const items of readItems({ ...request(), fields: true }, streamOf(file, 10_000))) {
    for (const item of items) {
      if ("boundary" in item) await writer.boundary(item);
      else if (!("error" in item) && ++records % skip !== 0) {
        await writer.addNew(item, "dec_1");
        expected.push(JSON.parse(createLineParts(item, "dec_1").join("")) as PlanRow);
      }
    }
  }
  const { files, counts, layout } = await writer.finish();
  const stored: StoredPlan & { files: PlanFiles } = {
    ...ndjsonPlan(prefix),
    sourceSha256: sha256,
    sourceLayout: layout,
    files,
  };
  return { store, stored, expected, counts };
}

async function createRows(p: Awaited<ReturnType<typeof plan>>) {
  const rows: PlanRow[] = [];
  for await (const batch of planRows(p.store, p.stored, "create")) rows.push(...batch);
  return rows;
}

describe("create rows kept as slices of the source", () => {
  it("read back as the plan lines would have held them, chunk by chunk", async () => {
    const file = bytes(trickyCsv(3_000));
    expect(file.byteLength).toBeGreaterThan(4 * 64 * 1024); // several parsed pieces
    const p = await plan(file, "tricky", 250);
    expect(p.expected.length).toBeGreaterThan(2_000);
    expect(p.stored.files.create).toBe(Math.ceil(p.expected.length / 250));
    expect(p.counts.create).toBe(p.expected.length);
    const rows = await createRows(p);
    expect(rows).toEqual(p.expected);
    // What is asserted is worth asserting: warnings, multi-line values, offsets and rows all vary.
    expect(rows.some((r) => r.warnings?.length)).toBe(true);
    expect(rows.some((r) => String(r.fields?.description).includes("\nsecond line"))).toBe(true);
    expect(rows.find((r) => r.key === "INC-3")?.fields?.createdOn).toBe("2025-04-13T01:00:00Z");
  });

  it("keep the rows of each chunk in that chunk, whatever the chunk size", async () => {
    const file = bytes(trickyCsv(1_200, "\n"));
    for (const size of [3, 7, 1_000, 5_000]) {
      const p = await plan(file, `sizes-${size}`, size, 3);
      const perChunk: number[] = [];
      for await (const batch of planRows(p.store, p.stored, "create")) perChunk.push(batch.length);
      expect(perChunk.reduce((a, b) => a + b, 0)).toBe(p.expected.length);
      expect(perChunk.slice(0, -1).every((n) => n === size)).toBe(true);
      expect(await createRows(p)).toEqual(p.expected);
    }
  });

  it("read the sample export, a file read as one piece", async () => {
    const p = await plan(sample("incidents/pagerduty-export.csv"), "sample", 2, 1_000);
    expect(p.expected.length).toBeGreaterThan(2);
    expect(await createRows(p)).toEqual(p.expected);
  });

  it("fail the read when the source no longer holds the planned rows", async () => {
    const file = trickyCsv(400);
    const p = await plan(bytes(file), "tampered", 100);
    const key = sourceKey("ten_1", p.stored.sourceSha256);
    // The same length, one timestamp broken: that row would not be a record any more.
    await p.store.put(key, bytes(file.replace("2025-02-11T01:00:00Z", "2025-02-11T01:00:00?")));
    await expect(createRows(p)).rejects.toMatchObject({
      code: "internal",
      message: expect.stringContaining("row 1 is no longer a record"),
    });
    // A source cut short gives fewer rows than planned.
    await p.store.put(key, bytes(file.slice(0, file.length / 2)));
    await expect(createRows(p)).rejects.toMatchObject({
      message: expect.stringMatching(/rows read, \d+ planned|no longer a record/),
    });
    await p.store.delete(key);
    await expect(createRows(p)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining(`source sha256:${p.stored.sourceSha256}`),
      extras: expect.objectContaining({ importCode: "plan_objects_missing" }),
    });
  });
});
