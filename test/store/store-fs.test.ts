import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createFsStore } from "../../shared/platform/store-fs";
import { describeObjectStoreContract } from "./object-store.contract";

const tempDirs: string[] = [];

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "store-fs-"));
  tempDirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describeObjectStoreContract("fs", async () => createFsStore(await freshDir()));

describe("fs store specifics", () => {
  it.each([
    ["", "non-empty"],
    ["../escape.txt", '".."'],
    ["a/../../escape.txt", '".."'],
    ["/etc/passwd", "absolute"],
    ["a\\b.txt", "backslash"],
    ["nul\0byte", "NUL"],
    ["a//b", "empty segment"],
    ["trailing/", "empty segment"],
    ["./here", '"."'],
    ["x".repeat(1025), "1024 bytes"],
  ])("rejects key %j", async (key, reason) => {
    const store = createFsStore(await freshDir());
    await expect(store.put(key, "x")).rejects.toThrow(reason);
    await expect(store.get(key)).rejects.toThrow("Invalid object key");
    await expect(store.head(key)).rejects.toThrow("Invalid object key");
    await expect(store.delete(key)).rejects.toThrow("Invalid object key");
  });

  it("never writes outside its root", async () => {
    const outer = await freshDir();
    const store = createFsStore(path.join(outer, "root"));
    await expect(store.put("../outside.txt", "x")).rejects.toThrow();
    expect(await readdir(outer)).toEqual([]);
  });

  it("leaves no temp files behind and stores the bytes under objects/", async () => {
    const root = await freshDir();
    const store = createFsStore(root);
    await store.put("a/b.txt", "hello");
    expect(await readdir(path.join(root, "tmp"))).toEqual([]);
    expect(await readdir(path.join(root, "objects", "a"))).toEqual(["b.txt"]);
  });

  it("deletes the temporary file of a stream that fails", async () => {
    const root = await freshDir();
    const store = createFsStore(root);
    let sent = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 3) controller.enqueue(new Uint8Array(100_000));
        else controller.error(new Error("cut off"));
      },
    });
    await expect(store.putStream("a/b.bin", failing)).rejects.toThrow("cut off");
    expect(await readdir(path.join(root, "tmp"))).toEqual([]);
    const streamed = await store.putStream(
      "a/c.txt",
      new Response("hello").body as ReadableStream<Uint8Array>,
    );
    expect(streamed.etag).toBe(createHash("md5").update("hello").digest("hex"));
    expect(await readdir(path.join(root, "tmp"))).toEqual([]);
  });

  it("uses the MD5 of the content as etag, like S3 single-part uploads", async () => {
    const store = createFsStore(await freshDir());
    const info = await store.put("e.txt", "hello");
    expect(info.etag).toBe("5d41402abc4b2a76b9719d911017c592");
  });

  it("hashes an object's bytes across its read buffer (SHA-256 and size), null when missing", async () => {
    const store = createFsStore(await freshDir());
    const bytes = new Uint8Array(2.5 * 1024 * 1024 + 7).map((_, i) => (i * 31 + (i >> 11)) & 255);
    await store.put("big.bin", bytes);
    expect(await store.sha256?.("big.bin")).toEqual({
      sha256: createHash("sha256").update(bytes).digest("hex"),
      size: bytes.byteLength,
    });
    await store.put("empty.bin", new Uint8Array(0));
    expect(await store.sha256?.("empty.bin")).toEqual({
      sha256: createHash("sha256").digest("hex"),
      size: 0,
    });
    expect(await store.sha256?.("missing.bin")).toBeNull();
  });

  it("reports a clear error when a key is a path prefix of another", async () => {
    const store = createFsStore(await freshDir());
    await store.put("a", "file");
    await expect(store.put("a/b", "nested")).rejects.toThrow(/collides/);
    await store.delete("a");
    await store.put("a/b", "nested");
    await expect(store.put("a", "file")).rejects.toThrow(/collides/);
    // Deleting the nested key prunes its folder, so the short key becomes usable again.
    await store.delete("a/b");
    await store.put("a", "file");
    expect(await (await store.get("a"))?.text()).toBe("file");
  });

  it("sorts keys by UTF-8 bytes, as S3 does", async () => {
    const store = createFsStore(await freshDir());
    const keys = ["z", "\u{FF5E}", "😀", "a"];
    for (const key of keys) await store.put(key, key);
    expect((await store.list()).objects.map((o) => o.key)).toEqual(["a", "z", "\u{FF5E}", "😀"]);
  });

  it("cannot presign and builds public URLs only when configured", async () => {
    const root = await freshDir();
    expect(await createFsStore(root).presign("k", { method: "GET", expiresInSeconds: 60 })).toBeNull();
    expect(createFsStore(root).publicUrl("k")).toBeNull();
    const store = createFsStore(root, { publicBaseUrl: "http://localhost:8787/files/" });
    expect(store.publicUrl("dir/a b+ü.txt")).toBe("http://localhost:8787/files/dir/a%20b%2B%C3%BC.txt");
  });

  it("fails ping when the root is not a writable folder", async () => {
    const dir = await freshDir();
    const file = path.join(dir, "not-a-folder");
    await writeFile(file, "x");
    await expect(createFsStore(file).ping()).rejects.toThrow();
    await expect(createFsStore(dir).ping()).resolves.toBeUndefined();
  });
});
