import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planObject, planObjectKey } from "../../shared/imports/framework/plan/plan-store";
import { createFsStore } from "../../shared/platform/store-fs";
import { ndjsonPlan } from "../support/plans";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "sb-plan-object-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Each row as JSON again: the lines as they were written. */
async function collect(batches: AsyncIterable<unknown[]>) {
  const out: string[] = [];
  for await (const rows of batches) for (const row of rows) out.push(JSON.stringify(row));
  return out;
}

describe("a plan object read as it streams", () => {
  it("gives the lines whole across the stream's pieces, multi-byte characters included", async () => {
    const store = createFsStore(root);
    // ~600 KB of two- and four-byte characters: the file stream's 64 KiB pieces end mid-character.
    const written = Array.from({ length: 3_000 }, (_, i) =>
      JSON.stringify({ i, t: `${"é".repeat(i % 97)}🚀` }),
    );
    await store.put(planObjectKey("p", "create", 0), `${written.join("\n")}\n\n`);
    const object = planObject(store, ndjsonPlan("p"), "create", 0);
    expect(await collect(object.rows())).toEqual(written);
  });

  it("gives a last line without a newline, and skips blank lines", async () => {
    const store = createFsStore(root);
    await store.put(planObjectKey("q", "create", 0), '"a"\n\n"b"\n"c"');
    expect(await collect(planObject(store, ndjsonPlan("q"), "create", 0).rows())).toEqual([
      '"a"',
      '"b"',
      '"c"',
    ]);
  });

  it("closes the object when the reader stops early", async () => {
    const store = createFsStore(root);
    const line = JSON.stringify("x".repeat(98));
    await store.put(planObjectKey("r", "create", 0), `${line}\n`.repeat(2_000));
    const openFiles = () => readdirSync("/proc/self/fd").length;
    const before = openFiles();
    for (let n = 0; n < 20; n++) {
      for await (const rows of planObject(store, ndjsonPlan("r"), "create", 0).rows()) {
        expect(rows[0]).toHaveLength(98);
        break;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(openFiles()).toBeLessThan(before + 5);
  });

  it("fails with a 409 naming the missing object and how to plan again", async () => {
    const store = createFsStore(root);
    await expect(collect(planObject(store, ndjsonPlan("none"), "create", 0).rows())).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("is missing from the object store"),
      extras: expect.objectContaining({ importCode: "plan_objects_missing" }),
    });
  });
});
