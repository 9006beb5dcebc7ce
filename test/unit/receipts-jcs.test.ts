import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { asStoredJson, canonicalJson } from "../../shared/receipts/canonical-json";
import { jsonDigest } from "../../shared/receipts/hashing";

const dir = join(import.meta.dirname, "../../../shared/vectors/jcs");
const cases = readdirSync(join(dir, "input")).map((file) => file.replace(/\.json$/, ""));

describe("RFC 8785 canonical JSON", () => {
  it("has the reference cases", () => {
    expect(cases.sort()).toEqual(["arrays", "french", "structures", "unicode", "values", "weird"]);
  });

  it.each(cases)("%s: canonical text and bytes match the reference", (name) => {
    const input = JSON.parse(readFileSync(join(dir, "input", `${name}.json`), "utf8"));
    const text = canonicalJson(input);
    const expectedBytes = Buffer.from(
      readFileSync(join(dir, "outhex", `${name}.txt`), "utf8").replace(/\s+/g, ""),
      "hex",
    );
    expect(Buffer.from(text, "utf8").equals(expectedBytes)).toBe(true);
    expect(text).toBe(readFileSync(join(dir, "output", `${name}.json`), "utf8").replace(/\n$/, ""));
  });

  it("gives one digest whatever the key order or whitespace", () => {
    expect(jsonDigest(JSON.parse('{ "b": [1, 2.50], "a": "x" }'))).toBe(jsonDigest({ a: "x", b: [1, 2.5] }));
  });

  it("refuses values with no canonical form instead of hashing something else", () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/canonical/);
    expect(() => canonicalJson({ s: "\ud800" })).toThrow(/canonical/);
    expect(() => asStoredJson({ s: "a\u0000b" })).toThrow(/NUL/);
  });

  it("hashes details in the form jsonb reads back (undefined dropped, dates as text)", () => {
    const stored = asStoredJson({ at: new Date("2026-01-02T03:04:05.678Z"), gone: undefined, n: 1 });
    expect(stored).toEqual({ at: "2026-01-02T03:04:05.678Z", n: 1 });
  });
});
