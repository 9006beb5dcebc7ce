import { beforeEach, describe, expect, it } from "vitest";
import type { ObjectInfo, ObjectStore } from "../../shared/platform/ports";

/** Behaviour every ObjectStore adapter must share. `makeStore` is called before each test and must return an empty store. */
export function describeObjectStoreContract(
  name: string,
  makeStore: () => ObjectStore | Promise<ObjectStore>,
): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let store: ObjectStore;

    beforeEach(async () => {
      store = await makeStore();
    });

    async function listAll(prefix?: string, limit?: number): Promise<{ keys: string[]; pages: number }> {
      const keys: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.list({ prefix, cursor, limit });
        pages++;
        keys.push(...page.objects.map((o) => o.key));
        cursor = page.cursor;
        if (pages > 100) throw new Error("list never ended");
      } while (cursor);
      return { keys, pages };
    }

    it("puts, heads, gets and deletes a text object", async () => {
      const put = await store.put("docs/hello.txt", "hello world", { contentType: "text/plain" });
      expect(put).toMatchObject({ key: "docs/hello.txt", size: 11, contentType: "text/plain" });
      expect(put.etag).toBeTruthy();

      const head = await store.head("docs/hello.txt");
      expect(head).toMatchObject({ key: "docs/hello.txt", size: 11, etag: put.etag });
      expect(head?.contentType).toMatch(/^text\/plain/);
      expect(head?.lastModified).toBeInstanceOf(Date);

      const got = await store.get("docs/hello.txt");
      expect(got).not.toBeNull();
      expect(got?.size).toBe(11);
      expect(got?.etag).toBe(put.etag);
      expect(got?.contentType).toMatch(/^text\/plain/);
      expect(await got?.text()).toBe("hello world");

      await store.delete("docs/hello.txt");
      expect(await store.head("docs/hello.txt")).toBeNull();
      expect(await store.get("docs/hello.txt")).toBeNull();
    });

    it("returns null for missing keys and deletes them without error", async () => {
      expect(await store.get("nope/missing.bin")).toBeNull();
      expect(await store.head("nope/missing.bin")).toBeNull();
      await expect(store.delete("nope/missing.bin")).resolves.toBeUndefined();
      await store.put("once.txt", "x");
      await store.delete("once.txt");
      await expect(store.delete("once.txt")).resolves.toBeUndefined();
    });

    it("round-trips binary content byte for byte", async () => {
      const bytes = new Uint8Array(70_000);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
      await store.put("bin/blob", bytes, { contentType: "application/octet-stream" });
      const got = await store.get("bin/blob");
      expect(got?.size).toBe(bytes.length);
      // Compared as one buffer: element-wise toEqual on 70 kB is needlessly slow.
      expect(Buffer.compare(Buffer.from((await got?.bytes()) ?? []), Buffer.from(bytes))).toBe(0);

      const streamed = await store.get("bin/blob");
      const chunks: Uint8Array[] = [];
      const reader = streamed?.body.getReader();
      for (let r = await reader?.read(); r && !r.done; r = await reader?.read()) chunks.push(r.value);
      expect(chunks.reduce((n, c) => n + c.byteLength, 0)).toBe(bytes.length);
    });

    it("reads a byte range, whole or streamed, cut at the end and empty past it", async () => {
      const bytes = new Uint8Array(3_000_000);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 10)) & 0xff;
      await store.put("bin/ranged", bytes);
      const same = (got: Uint8Array | undefined, from: number, to: number) =>
        Buffer.compare(Buffer.from(got ?? []), Buffer.from(bytes.subarray(from, to)));

      const middle = await store.get("bin/ranged", { range: { offset: 1_234_567, length: 1_500_001 } });
      expect(middle?.size).toBe(1_500_001);
      expect(same(await middle?.bytes(), 1_234_567, 2_734_568)).toBe(0);

      // Streamed past the adapters' own read size (the filesystem reads a megabyte at a time).
      const streamed = await store.get("bin/ranged", { range: { offset: 10, length: 2_500_000 } });
      const chunks: Uint8Array[] = [];
      const reader = streamed?.body.getReader();
      for (let r = await reader?.read(); r && !r.done; r = await reader?.read()) chunks.push(r.value);
      expect(same(Buffer.concat(chunks), 10, 2_500_010)).toBe(0);

      const tail = await store.get("bin/ranged", { range: { offset: 2_999_990, length: 100 } });
      expect(same(await tail?.bytes(), 2_999_990, 3_000_000)).toBe(0);
      const past = await store.get("bin/ranged", { range: { offset: 3_000_000, length: 10 } });
      expect(past?.size).toBe(0);
      expect(await past?.text()).toBe("");
      expect(await store.get("bin/none", { range: { offset: 0, length: 10 } })).toBeNull();
    });

    it("overwrites an object and changes its etag", async () => {
      const first = await store.put("v.json", '{"v":1}', { contentType: "application/json" });
      const second = await store.put("v.json", '{"v":2}', { contentType: "application/json" });
      expect(second.etag).not.toBe(first.etag);
      expect(await (await store.get("v.json"))?.text()).toBe('{"v":2}');
      expect((await store.head("v.json"))?.etag).toBe(second.etag);
    });

    it("keeps the content type", async () => {
      await store.put("t/a.csv", "a,b\n1,2\n", { contentType: "text/csv" });
      await store.put("t/b.json", "{}", { contentType: "application/json" });
      expect((await store.head("t/a.csv"))?.contentType).toMatch(/^text\/csv/);
      expect((await store.get("t/b.json"))?.contentType).toMatch(/^application\/json/);
    });

    it("handles UTF-8 keys with spaces, unicode and URL-special characters", async () => {
      const keys = [
        "ünï cødé/naïve file.txt",
        "emoji/😀 smile.txt",
        "chars/a+b=c&d?e#f%g.txt",
        "日本語/ファイル.txt",
      ];
      for (const key of keys) await store.put(key, `content of ${key}`, { contentType: "text/plain" });
      for (const key of keys) {
        expect((await store.head(key))?.key).toBe(key);
        expect(await (await store.get(key))?.text()).toBe(`content of ${key}`);
      }
      const listed = (await store.list()).objects.map((o) => o.key);
      expect([...listed].sort()).toEqual([...keys].sort());
      expect((await store.list({ prefix: "emoji/" })).objects.map((o) => o.key)).toEqual([
        "emoji/😀 smile.txt",
      ]);
    });

    it("paginates 25 keys 10 at a time, in key order, without gaps or repeats", async () => {
      const keys = Array.from({ length: 25 }, (_, i) => `page/key-${String(i).padStart(2, "0")}.txt`);
      await Promise.all(keys.map((key) => store.put(key, key)));

      const first = await store.list({ prefix: "page/", limit: 10 });
      expect(first.objects).toHaveLength(10);
      expect(first.cursor).toBeTruthy();
      expect(first.objects[0]).toMatchObject<Partial<ObjectInfo>>({ key: "page/key-00.txt", size: 15 });

      const { keys: all, pages } = await listAll("page/", 10);
      expect(pages).toBe(3);
      expect(all).toEqual(keys);
    });

    it("filters by prefix", async () => {
      await Promise.all(
        ["a/1", "a/2", "ab/3", "b/4", "a/deep/5"].map((key) =>
          store.put(key, key, { contentType: "text/plain" }),
        ),
      );
      expect((await listAll("a/")).keys).toEqual(["a/1", "a/2", "a/deep/5"]);
      expect((await listAll("a")).keys).toEqual(["a/1", "a/2", "a/deep/5", "ab/3"]);
      expect((await listAll("a/d")).keys).toEqual(["a/deep/5"]);
      expect((await listAll("zzz/")).keys).toEqual([]);
      expect((await listAll()).keys).toEqual(["a/1", "a/2", "a/deep/5", "ab/3", "b/4"]);
    });

    it("lists size and etag of each object, and an empty store as one empty page", async () => {
      expect(await store.list()).toEqual({ objects: [] });
      const put = await store.put("sized.bin", new Uint8Array([1, 2, 3]));
      const page = await store.list();
      expect(page.cursor).toBeUndefined();
      expect(page.objects).toHaveLength(1);
      expect(page.objects[0]).toMatchObject({ key: "sized.bin", size: 3, etag: put.etag });
    });

    it("copies an object inside the store as a snapshot, and answers null for a missing source", async () => {
      await store.put("uploads/a.csv", "id,title\n1,first\n", { contentType: "text/csv" });
      const copied = await store.copy("uploads/a.csv", "sources/abc");
      expect(copied).toMatchObject({ key: "sources/abc", size: 17, contentType: "text/csv" });
      await store.put("uploads/a.csv", "changed later");
      expect(await (await store.get("sources/abc"))?.text()).toBe("id,title\n1,first\n");
      await store.delete("uploads/a.csv");
      expect(await (await store.get("sources/abc"))?.text()).toBe("id,title\n1,first\n");
      expect(await store.copy("uploads/missing.csv", "sources/def")).toBeNull();
      expect(await store.head("sources/def")).toBeNull();
    });

    /** `total` bytes of a known pattern in pieces of irregular sizes, failing after `failAt` bytes if given. */
    function patternStream(total: number, failAt?: number): ReadableStream<Uint8Array> {
      let sent = 0;
      let turn = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (failAt !== undefined && sent >= failAt) {
            controller.error(new Error("the client went away"));
            return;
          }
          if (sent >= total) {
            controller.close();
            return;
          }
          const size = Math.min(total - sent, [65_536, 1_000, 300_000, 7][turn++ % 4] ?? 1);
          const piece = new Uint8Array(size);
          for (let i = 0; i < size; i++) piece[i] = ((sent + i) * 13 + ((sent + i) >> 12)) & 0xff;
          sent += size;
          controller.enqueue(piece);
        },
      });
    }

    async function sameAsPattern(key: string, total: number): Promise<boolean> {
      const got = await store.get(key);
      const bytes = Buffer.from((await got?.bytes()) ?? []);
      const expected = Buffer.from(await new Response(patternStream(total)).arrayBuffer());
      return got?.size === total && Buffer.compare(bytes, expected) === 0;
    }

    it("writes a stream as the object, small, empty or in several parts", async () => {
      const small = await store.putStream("streams/small.csv", patternStream(5_000), {
        contentType: "text/csv",
      });
      expect(small).toMatchObject({ key: "streams/small.csv", size: 5_000, contentType: "text/csv" });
      expect(small.etag).toBeTruthy();
      expect(await sameAsPattern("streams/small.csv", 5_000)).toBe(true);
      expect((await store.head("streams/small.csv"))?.contentType).toMatch(/^text\/csv/);

      expect(await store.putStream("streams/empty", patternStream(0))).toMatchObject({ size: 0 });
      expect((await store.head("streams/empty"))?.size).toBe(0);

      // Past the S3 adapter's part size in these tests (1 MiB), not a multiple of it.
      const large = await store.putStream("streams/large.bin", patternStream(3_300_000));
      expect(large).toMatchObject({ key: "streams/large.bin", size: 3_300_000 });
      expect(await sameAsPattern("streams/large.bin", 3_300_000)).toBe(true);
      expect((await store.head("streams/large.bin"))?.size).toBe(3_300_000);
    });

    it("keeps nothing of a stream that fails, and an earlier object stays as it was", async () => {
      await expect(store.putStream("failed/new.bin", patternStream(3_300_000, 2_500_000))).rejects.toThrow(
        "the client went away",
      );
      await expect(store.putStream("failed/tiny.bin", patternStream(100, 10))).rejects.toThrow(
        "the client went away",
      );
      expect(await store.head("failed/new.bin")).toBeNull();
      expect(await store.get("failed/tiny.bin")).toBeNull();
      expect(await store.list({ prefix: "failed/" })).toEqual({ objects: [] });

      await store.put("kept.txt", "as it was", { contentType: "text/plain" });
      await expect(store.putStream("kept.txt", patternStream(3_300_000, 1_500_000))).rejects.toThrow(
        "the client went away",
      );
      expect(await (await store.get("kept.txt"))?.text()).toBe("as it was");
    });

    it("answers ping", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
