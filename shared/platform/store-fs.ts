/**
 * ObjectStore on the local filesystem, for the embedded (Node) runtime.
 * Layout under root: `objects/<key>` holds the bytes, `meta/<key>` a JSON sidecar, `tmp/` staged writes.
 */
import { createHash, randomUUID } from "node:crypto";
import {
  copyFile,
  link,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rmdir,
  unlink,
  writeFile,
} from "node:fs/promises";
import path from "node:path";
import type { GetOptions, ListPage, ObjectBody, ObjectInfo, ObjectStore, PutOptions } from "./ports";
import { byteRange, fileBody, hashFile, readWhole } from "./store-fs-read";

export interface FsObjectStore extends ObjectStore {
  readonly root: string;
  /** `<publicBaseUrl>/<encoded key>` when a base URL was configured, else null. */
  publicUrl(key: string): string | null;
}

interface Sidecar {
  contentType: string;
  etag: string;
  size: number;
  lastModified: string;
}

const MAX_KEY_BYTES = 1024;
const encoder = new TextEncoder();

export function validateKey(key: string): string {
  const fail = (why: string): never => {
    throw new Error(`Invalid object key ${JSON.stringify(key)}: ${why}`);
  };
  if (typeof key !== "string" || key.length === 0) fail("must be a non-empty string");
  if (encoder.encode(key).byteLength > MAX_KEY_BYTES) fail(`longer than ${MAX_KEY_BYTES} bytes`);
  if (key.includes("\0")) fail("contains a NUL character");
  if (key.includes("\\")) fail("contains a backslash");
  if (key.startsWith("/") || path.isAbsolute(key)) fail("is an absolute path");
  for (const segment of key.split("/")) {
    if (segment === "..") fail('contains a ".." segment');
    if (segment === ".") fail('contains a "." segment');
    if (segment === "") fail("contains an empty segment (leading, trailing or doubled /)");
  }
  return key;
}

/** S3 orders keys by their UTF-8 bytes; JavaScript's default sort uses UTF-16 units. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

export function createFsStore(root: string, options: { publicBaseUrl?: string } = {}): FsObjectStore {
  const base = path.resolve(root);
  const dirs = {
    objects: path.join(base, "objects"),
    meta: path.join(base, "meta"),
    tmp: path.join(base, "tmp"),
  };
  const objectPath = (key: string) => path.join(dirs.objects, ...validateKey(key).split("/"));
  const metaPath = (key: string) => path.join(dirs.meta, ...validateKey(key).split("/"));

  async function stage(data: Uint8Array | string): Promise<string> {
    await mkdir(dirs.tmp, { recursive: true });
    const file = path.join(dirs.tmp, randomUUID());
    await writeFile(file, data);
    return file;
  }

  async function commit(tmpFile: string, target: string, key: string): Promise<void> {
    // A concurrent delete may prune the parent folder between mkdir and rename, hence the retry.
    for (let attempt = 0; ; attempt++) {
      try {
        await mkdir(path.dirname(target), { recursive: true });
        await rename(tmpFile, target);
        return;
      } catch (error) {
        const code = errorCode(error);
        if (code === "ENOENT" && attempt < 3) continue;
        await unlink(tmpFile).catch(() => {});
        if (code === "EEXIST" || code === "ENOTDIR" || code === "EISDIR") {
          throw new Error(`Object key "${key}" collides with another key: one is a path prefix of the other`);
        }
        throw error;
      }
    }
  }

  /** Moves a staged data file to `key`, then its sidecar: the object is complete when it appears. */
  async function place(
    dataTmp: string,
    key: string,
    data: { etag: string; size: number },
    putOptions: PutOptions,
  ): Promise<ObjectInfo> {
    const meta: Sidecar = {
      contentType: putOptions.contentType ?? "application/octet-stream",
      ...data,
      lastModified: new Date().toISOString(),
    };
    const metaTmp = await stage(JSON.stringify(meta)).catch(async (error: unknown) => {
      await unlink(dataTmp).catch(() => {});
      throw error;
    });
    await commit(dataTmp, objectPath(key), key).catch(async (error: unknown) => {
      await unlink(metaTmp).catch(() => {});
      throw error;
    });
    await commit(metaTmp, metaPath(key), key);
    return {
      key,
      size: meta.size,
      etag: meta.etag,
      contentType: meta.contentType,
      lastModified: new Date(meta.lastModified),
    };
  }

  /**
   * A copy as a hard link where the filesystem allows: objects are only ever replaced by a
   * rename, never written in place, so the link keeps the bytes as they were, and a large
   * upload's snapshot costs no copying. Elsewhere (another device, no links) a real copy.
   */
  async function snapshot(from: string, to: string): Promise<void> {
    try {
      await link(from, to);
    } catch (error) {
      if (errorCode(error) === "ENOENT") throw error;
      await copyFile(from, to);
    }
  }

  async function readSidecar(key: string): Promise<ObjectInfo | null> {
    const raw = await readFile(metaPath(key), "utf8").catch(orNullIfMissing);
    if (raw === null) return null;
    const meta = JSON.parse(raw) as Sidecar;
    return {
      key,
      size: meta.size,
      etag: meta.etag,
      contentType: meta.contentType,
      lastModified: new Date(meta.lastModified),
    };
  }

  async function pruneEmptyParents(file: string, top: string): Promise<void> {
    for (let dir = path.dirname(file); dir.startsWith(`${top}${path.sep}`); dir = path.dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return;
      }
    }
  }

  async function walk(dir: string, rel: string, prefix: string, out: string[]): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true }).catch(orNullIfMissing);
    for (const entry of entries ?? []) {
      const key = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        const folder = `${key}/`;
        if (folder.startsWith(prefix) || prefix.startsWith(folder)) {
          await walk(path.join(dir, entry.name), key, prefix, out);
        }
      } else if (entry.isFile() && key.startsWith(prefix)) {
        out.push(key);
      }
    }
  }

  return {
    root: base,

    publicUrl(key: string): string | null {
      if (!options.publicBaseUrl) return null;
      const encoded = validateKey(key).split("/").map(encodeURIComponent).join("/");
      return `${options.publicBaseUrl.replace(/\/+$/, "")}/${encoded}`;
    },

    async put(key: string, body: Uint8Array | string, putOptions: PutOptions = {}): Promise<ObjectInfo> {
      const bytes = typeof body === "string" ? encoder.encode(body) : body;
      objectPath(key);
      // MD5 so the value matches the ETag S3 and R2 report for single-part uploads.
      const etag = createHash("md5").update(bytes).digest("hex");
      return place(await stage(bytes), key, { etag, size: bytes.byteLength }, putOptions);
    },

    async putStream(key: string, body: ReadableStream<Uint8Array>, putOptions: PutOptions = {}) {
      objectPath(key);
      await mkdir(dirs.tmp, { recursive: true });
      const dataTmp = path.join(dirs.tmp, randomUUID());
      const md5 = createHash("md5");
      let size = 0;
      const handle = await open(dataTmp, "w");
      try {
        for await (const piece of body as unknown as AsyncIterable<Uint8Array>) {
          md5.update(piece);
          for (let written = 0; written < piece.byteLength; ) {
            written += (await handle.write(piece, written, piece.byteLength - written)).bytesWritten;
          }
          size += piece.byteLength;
        }
        await handle.close();
      } catch (error) {
        await handle.close().catch(() => {});
        await unlink(dataTmp).catch(() => {});
        throw error;
      }
      return place(dataTmp, key, { etag: md5.digest("hex"), size }, putOptions);
    },

    async get(key: string, getOptions: GetOptions = {}): Promise<ObjectBody | null> {
      const info = await readSidecar(key);
      if (!info) return null;
      const file = objectPath(key);
      // The file is opened now (a missing one is null) and read as a stream, so a large object never sits in memory whole.
      const handle = await open(file, "r").catch(orNullIfMissing);
      if (!handle) return null;
      const stat = await handle.stat();
      const { start, size } = byteRange(getOptions, stat.size);
      let body: ReadableStream<Uint8Array> | undefined;
      const whole = () => readWhole(handle, start, size);
      return {
        ...info,
        size,
        get body() {
          body ??= fileBody(handle, start, size);
          return body;
        },
        bytes: whole,
        text: async () => new TextDecoder().decode(await whole()),
      };
    },

    head: readSidecar,

    async sha256(key: string) {
      if (!(await readSidecar(key))) return null;
      const handle = await open(objectPath(key), "r").catch(orNullIfMissing);
      if (!handle) return null;
      return hashFile(handle);
    },

    async copy(from: string, to: string): Promise<ObjectInfo | null> {
      const info = await readSidecar(from);
      if (!info) return null;
      await mkdir(dirs.tmp, { recursive: true });
      const dataTmp = path.join(dirs.tmp, randomUUID());
      if ((await snapshot(objectPath(from), dataTmp).catch(orNullIfMissing)) === null) return null;
      return place(
        dataTmp,
        to,
        { etag: info.etag ?? "", size: info.size },
        { contentType: info.contentType },
      );
    },

    async delete(key: string): Promise<void> {
      const files: [string, string][] = [
        [metaPath(key), dirs.meta],
        [objectPath(key), dirs.objects],
      ];
      for (const [file, top] of files) {
        await unlink(file).catch(orNullIfMissing);
        // Leftover empty folders would block a later put of a key equal to the folder's path.
        await pruneEmptyParents(file, top);
      }
    },

    async list(opts: { prefix?: string; cursor?: string; limit?: number } = {}): Promise<ListPage> {
      const prefix = opts.prefix ?? "";
      const limit =
        opts.limit !== undefined && Number.isFinite(opts.limit) ? Math.max(1, Math.floor(opts.limit)) : 1000;
      const keys: string[] = [];
      await walk(dirs.meta, "", prefix, keys);
      const cursor = opts.cursor;
      const remaining = keys
        .filter((key) => cursor === undefined || compareKeys(key, cursor) > 0)
        .sort(compareKeys);
      const page = remaining.slice(0, limit);
      const infos = await Promise.all(page.map(readSidecar));
      const objects = infos.filter((info): info is ObjectInfo => info !== null);
      const last = page.at(-1);
      return remaining.length > limit && last !== undefined ? { objects, cursor: last } : { objects };
    },

    async presign(): Promise<null> {
      return null;
    },

    async ping(): Promise<void> {
      const probe = await stage("ping");
      await unlink(probe);
    },
  };
}

function errorCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;
}

function orNullIfMissing(error: unknown): null {
  if (errorCode(error) === "ENOENT") return null;
  throw error;
}
