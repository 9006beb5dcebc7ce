import { describe, expect, it } from "vitest";
import { CopyBinaryWriter, encodeColumns } from "../../shared/db/copy-binary";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
/** One column's bytes, as `write` encodes it (no header). */
const column = (write: (w: CopyBinaryWriter) => void) => hex(encodeColumns(write));

describe("CopyBinaryWriter (COPY binary format)", () => {
  it("starts with the signature, zero flags and no header extension, and ends with -1", () => {
    const data = new CopyBinaryWriter().end().take();
    expect(hex(data)).toBe(
      `${Buffer.from("PGCOPY\n\xff\r\n\0", "latin1").toString("hex")}0000000000000000ffff`,
    );
  });

  it("writes a row as its column count and each column as length and bytes; null as length -1", () => {
    expect(column((w) => w.row(3).null().text("ab").int4(-2))).toBe(
      "0003" + "ffffffff" + "000000026162" + "00000004fffffffe",
    );
  });

  it("measures text in UTF-8 bytes, and writes other values as String or JSON gives them", () => {
    expect(column((w) => w.text("é🚀"))).toBe(`00000006${Buffer.from("é🚀").toString("hex")}`);
    expect(column((w) => w.text("a\tb\\N"))).toBe(`00000005${Buffer.from("a\tb\\N").toString("hex")}`);
    expect(column((w) => w.text(42))).toBe(`00000002${Buffer.from("42").toString("hex")}`);
    expect(column((w) => w.text({ a: 1 }))).toBe(`00000007${Buffer.from('{"a":1}').toString("hex")}`);
  });

  it("writes the same UTF-8 for short ASCII, short mixed and long text (a non-ASCII code unit anywhere)", () => {
    const utf8 = (text: string) => {
      const bytes = Buffer.from(text);
      return `${bytes.length.toString(16).padStart(8, "0")}${bytes.toString("hex")}`;
    };
    for (const length of [0, 1, 127, 128, 129, 400]) {
      const ascii = "a~\x7f ".repeat(length).slice(0, length);
      expect(column((w) => w.text(ascii))).toBe(utf8(ascii));
      for (const at of [0, Math.floor(length / 2), length - 1]) {
        if (at < 0) continue;
        for (const odd of ["\x80", "é", "€", "🚀", "\ud800"]) {
          const mixed = ascii.slice(0, at) + odd + ascii.slice(at + 1);
          expect(column((w) => w.text(mixed))).toBe(utf8(mixed));
        }
      }
    }
  });

  it("reads the stored ISO forms by position as Date does, and every other form through Date", () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    const instants = Array.from(
      { length: 2_000 },
      () => Date.UTC(1900, 0, 1) + next() * 3_000 + (next() % 1000),
    );
    const forms = instants.flatMap((ms) => {
      const iso = new Date(ms).toISOString();
      return [iso, `${iso.slice(0, 19)}Z`];
    });
    forms.push(
      "0050-06-01T00:00:00Z",
      "2024-02-29T23:59:59Z",
      "2026-01-31T00:00:00.5Z",
      "2026-01-01T05:00:00+05:00",
    );
    for (const form of forms) {
      expect(column((w) => w.timestamptz(form))).toBe(column((w) => w.timestamptz(new Date(form))));
    }
    expect(() => new CopyBinaryWriter().timestamptz("2026-13-01T00:00:00Z")).toThrow(/not a timestamp/);
  });

  it("writes timestamps as microseconds since 2000-01-01 UTC, before it and with milliseconds", () => {
    expect(column((w) => w.timestamptz("2000-01-01T00:00:00Z"))).toBe("00000008" + "0000000000000000");
    expect(column((w) => w.timestamptz("1999-12-31T23:59:59Z"))).toBe("00000008" + "fffffffffff0bdc0");
    expect(column((w) => w.timestamptz("2000-01-01T02:00:00.250+02:00"))).toBe(
      "00000008" + "000000000003d090",
    );
    expect(column((w) => w.timestamptz(new Date("2026-01-01T00:00:00Z")))).toBe(
      `00000008${(BigInt(Date.UTC(2026, 0, 1) - Date.UTC(2000, 0, 1)) * 1000n).toString(16).padStart(16, "0")}`,
    );
  });

  it("refuses what its column type cannot hold rather than sending it", () => {
    expect(() => new CopyBinaryWriter().int4(2 ** 31)).toThrow(/not an integer/);
    expect(() => new CopyBinaryWriter().int4("7")).toThrow(/not an integer/);
    expect(() => new CopyBinaryWriter().timestamptz("yesterday")).toThrow(/not a timestamp/);
  });

  it("grows past its first buffer and hands each piece over once", () => {
    const writer = new CopyBinaryWriter(16);
    writer.take();
    writer.text("x".repeat(1000));
    const piece = writer.take();
    expect(piece.byteLength).toBe(1004);
    expect(writer.size).toBe(0);
  });
});
