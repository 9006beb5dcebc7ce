import { describe, expect, it } from "vitest";
import { copyValue } from "../../shared/db/copy-text";

describe("copyValue (COPY text format)", () => {
  it("writes null and undefined as \\N, and a literal \\N so that it stays text", () => {
    expect(copyValue(null)).toBe("\\N");
    expect(copyValue(undefined)).toBe("\\N");
    expect(copyValue("\\N")).toBe("\\\\N");
  });

  it("escapes backslash, tab, newline and carriage return; leaves the rest as it is", () => {
    expect(copyValue("a\tb\nc\rd\\e")).toBe("a\\tb\\nc\\rd\\\\e");
    expect(copyValue('"quoted", ünïcödé 🚀')).toBe('"quoted", ünïcödé 🚀');
  });

  it("writes numbers and booleans as text, objects as their JSON", () => {
    expect(copyValue(42)).toBe("42");
    expect(copyValue(false)).toBe("false");
    expect(copyValue({ a: "x\ty" })).toBe('{"a":"x\\\\ty"}');
  });
});
