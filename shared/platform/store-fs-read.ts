/**
 * Reading an object's file in the filesystem store: a byte range of it, whole, as a body
 * stream, or hashed. Each closes the handle it is given when done.
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import type { GetOptions } from "./ports";

/** Bytes per read of an object's body: large reads are what make reading a big file fast. */
const readChunkBytes = 1024 * 1024;

/** The bytes a get reads: the whole file, or the range asked for, cut at the file's end. */
export function byteRange({ range }: GetOptions, fileSize: number): { start: number; size: number } {
  if (!range) return { start: 0, size: fileSize };
  const start = Math.min(Math.max(0, range.offset), fileSize);
  return { start, size: Math.max(0, Math.min(range.length, fileSize - start)) };
}

/**
 * `size` bytes of an open file from `start`, as a byte stream read on demand with one read
 * ahead (at most two chunks in memory), closed at its end, on an error or when the reader cancels.
 */
export function fileBody(handle: FileHandle, start: number, size: number): ReadableStream<Uint8Array> {
  let position = 0;
  const close = () => handle.close().catch(() => undefined);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const chunk = new Uint8Array(Math.max(1, Math.min(readChunkBytes, size - position)));
          const { bytesRead } =
            position >= size
              ? { bytesRead: 0 }
              : await handle.read(chunk, 0, chunk.byteLength, start + position);
          if (bytesRead === 0) {
            await close();
            controller.close();
            return;
          }
          position += bytesRead;
          controller.enqueue(bytesRead === chunk.byteLength ? chunk : chunk.subarray(0, bytesRead));
        } catch (error) {
          await close();
          throw error;
        }
      },
      cancel: close,
    },
    { highWaterMark: 1 },
  );
}

/** `size` bytes from `start` in one array (fewer where the file ends first). */
export async function readWhole(handle: FileHandle, start: number, size: number): Promise<Uint8Array> {
  try {
    const bytes = new Uint8Array(size);
    let read = 0;
    while (read < size) {
      const { bytesRead } = await handle.read(bytes, read, size - read, start + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return read === size ? bytes : bytes.subarray(0, read);
  } finally {
    await handle.close();
  }
}

/**
 * The whole file's SHA-256 (hex) and size, through one reused buffer: fresh ones, as a body
 * stream needs, cost their pages and collections (about three times the time).
 */
export async function hashFile(handle: FileHandle): Promise<{ sha256: string; size: number }> {
  try {
    const hash = createHash("sha256");
    const buffer = Buffer.allocUnsafe(readChunkBytes);
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, size);
      if (bytesRead === 0) return { sha256: hash.digest("hex"), size };
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
  } finally {
    await handle.close();
  }
}
