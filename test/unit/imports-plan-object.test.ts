import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planObject, planObjectKey } from "../../shared/imports/framework/plan-store";
import { createFsStore } from "../../shared/platform/store-fs";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "sb-plan-object-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function collect(lines: AsyncIterable<string>) {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe("a plan object read line by line", () => {
  it("gives the lines whole across the stream's pieces, multi-byte characters included", async () => {
    const store = createFsStore(root);
    // ~600 KB of two- and four-byte characters: the file stream's 64 KiB pieces end mid-character.
    const written = Array.from({ length: 3_000 }, (_, i) =>
      JSON.stringify({ i, t: `${"é".repeat(i % 97)}🚀` }),
    );
    await store.put(planObjectKey("p", "create", 0), `${written.join("\n")}\n\n`);
    const object = planObject(store, "p", "create", 0);
    expect(await collect(object.lines())).toEqual(written);
  });

  it("gives a last line without a newline, and skips blank lines", async () => {
    const store = createFsStore(root);
    await store.put(planObjectKey("q", "create", 0), "a\n\nb\nc");
    expect(await collect(planObject(store, "q", "create", 0).lines())).toEqual(["a", "b", "c"]);
  });

  it("closes the object when the reader stops early", async () => {
    const store = createFsStore(root);
    await store.put(planObjectKey("r", "create", 0), "x".repeat(200_000).replace(/x{100}/g, "$&\n"));
    const openFiles = () => readdirSync("/proc/self/fd").length;
    const before = openFiles();
    for (let n = 0; n < 20; n++) {
      for await (const line of planObject(store, "r", "create", 0).lines()) {
        expect(line).toHaveLength(100);
        break;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(openFiles()).toBeLessThan(before + 5);
  });

  it("fails with a problem when the object is missing", async () => {
    const store = createFsStore(root);
    await expect(collect(planObject(store, "none", "create", 0).lines())).rejects.toMatchObject({
      code: "internal",
    });
  });
});
