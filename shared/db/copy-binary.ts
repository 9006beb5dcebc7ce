/**
 * Rows in the binary format of `COPY … FROM STDIN WITH (FORMAT binary)`: a signature and
 * header, then per row a 16-bit column count and per column a 32-bit length (-1 for null)
 * and the value in the type's binary form; a trailer of -1 ends the data. Postgres reads
 * binary integers and timestamps without parsing text, which is most of what a wide row
 * with several timestamps costs it in the text format. Text goes as UTF-8 (the client
 * encoding node-postgres sets).
 */
import { Buffer } from "node:buffer";

const signature = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
/** 2000-01-01T00:00:00Z, where Postgres counts timestamps from. */
const postgresEpochMs = Date.UTC(2000, 0, 1);
const twoTo32 = 2 ** 32;

const digitsAt = (text: string, from: number, to: number) => {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    n = n * 10 + d;
  }
  return n;
};

/**
 * Milliseconds of an ISO 8601 string: the canonical UTC forms stored
 * (`2026-10-03T14:02:11Z`, `2026-10-03T14:02:11.250Z`) read by position, anything else
 * (offsets, other precisions) by Date.parse.
 */
function isoMillis(text: string): number {
  const canonical =
    (text.length === 20 || (text.length === 24 && text.charCodeAt(19) === 46)) &&
    text.charCodeAt(text.length - 1) === 90 &&
    text.charCodeAt(4) === 45 &&
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 84 &&
    text.charCodeAt(13) === 58 &&
    text.charCodeAt(16) === 58;
  if (!canonical) return Date.parse(text);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  const hour = digitsAt(text, 11, 13);
  const minute = digitsAt(text, 14, 16);
  const second = digitsAt(text, 17, 19);
  // Out of range (2026-02-30, 24:00): Date.parse says what it is.
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour <= 23 && minute <= 59 && second <= 59)) {
    return Date.parse(text);
  }
  const year = digitsAt(text, 0, 4);
  // Date.UTC reads years 0–99 as 1900–1999.
  if (!(year >= 100)) return Date.parse(text);
  const ms = text.length === 24 ? digitsAt(text, 20, 23) : 0;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** Strings up to this length are tried as ASCII byte by byte: cheaper than `Buffer.write`'s call. */
const asciiLoopMax = 128;

/** `text` as UTF-8 at `at` (room for 3 bytes a code unit is there); the bytes written. */
function writeUtf8(bytes: Buffer, text: string, at: number): number {
  const length = text.length;
  if (length <= asciiLoopMax) {
    let i = 0;
    for (; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code > 127) break;
      bytes[at + i] = code;
    }
    if (i === length) return length;
  }
  return bytes.write(text, at);
}

export class CopyBinaryWriter {
  private bytes: Buffer;
  private length = 0;

  /** `header`: false for columns to repeat (`encodeColumns`), not the start of the data. */
  constructor(capacity = 256 * 1024, header = true) {
    this.bytes = Buffer.allocUnsafe(Math.max(capacity, signature.length + 8));
    if (!header) return;
    this.bytes.set(signature, 0);
    this.bytes.writeInt32BE(0, signature.length); // flags
    this.bytes.writeInt32BE(0, signature.length + 4); // header extension length
    this.length = signature.length + 8;
  }

  /** Bytes written since the last `take`. */
  get size(): number {
    return this.length;
  }

  private reserve(bytes: number) {
    const needed = this.length + bytes;
    if (needed <= this.bytes.byteLength) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.byteLength * 2));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }

  row(columns: number): this {
    this.reserve(2);
    this.length = this.bytes.writeInt16BE(columns, this.length);
    return this;
  }

  null(): this {
    this.reserve(4);
    this.length = this.bytes.writeInt32BE(-1, this.length);
    return this;
  }

  /** A text column: null, a string, or another value as `String` gives it (an object as JSON). */
  text(value: unknown): this {
    if (value === null || value === undefined) return this.null();
    const text =
      typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
    this.reserve(4 + text.length * 3);
    const written = writeUtf8(this.bytes, text, this.length + 4);
    this.bytes.writeInt32BE(written, this.length);
    this.length += 4 + written;
    return this;
  }

  /** An `integer` column. */
  int4(value: unknown): this {
    if (value === null || value === undefined) return this.null();
    if (typeof value !== "number" || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
      throw new Error(`COPY: ${JSON.stringify(value)} is not an integer column's value`);
    }
    this.reserve(8);
    this.bytes.writeInt32BE(4, this.length);
    this.length = this.bytes.writeInt32BE(value, this.length + 4);
    return this;
  }

  /** A `timestamptz` column from an ISO 8601 string with an offset (or a Date). */
  timestamptz(value: unknown): this {
    if (value === null || value === undefined) return this.null();
    const ms =
      value instanceof Date ? value.getTime() : typeof value === "string" ? isoMillis(value) : Number.NaN;
    if (!Number.isFinite(ms)) throw new Error(`COPY: ${JSON.stringify(value)} is not a timestamp`);
    // Microseconds since 2000 as a signed 64-bit integer, in two halves (exact up to year ~2285).
    const micros = (ms - postgresEpochMs) * 1000;
    const high = Math.floor(micros / twoTo32);
    this.reserve(12);
    this.bytes.writeInt32BE(8, this.length);
    this.bytes.writeInt32BE(high, this.length + 4);
    this.length = this.bytes.writeUInt32BE(micros - high * twoTo32, this.length + 8);
    return this;
  }

  /** Columns encoded once (`encodeColumns`) and repeated on every row. */
  encoded(bytes: Uint8Array): this {
    this.reserve(bytes.byteLength);
    this.bytes.set(bytes, this.length);
    this.length += bytes.byteLength;
    return this;
  }

  /** Ends the data (after the last row). */
  end(): this {
    this.reserve(2);
    this.length = this.bytes.writeInt16BE(-1, this.length);
    return this;
  }

  /** A copy of what was written since the last call; the writer goes on empty, in the same buffer. */
  take(): Uint8Array {
    const out = new Uint8Array(this.bytes.subarray(0, this.length));
    this.length = 0;
    return out;
  }
}

/** Some columns' encoding, to repeat on every row with `encoded`. */
export function encodeColumns(write: (writer: CopyBinaryWriter) => void): Uint8Array {
  const writer = new CopyBinaryWriter(256, false);
  write(writer);
  return writer.take();
}
