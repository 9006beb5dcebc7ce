import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { asStoredJson, canonicalJson } from "../../shared/receipts/canonical-json";
import { jsonDigest } from "../../shared/receipts/hashing";
import {
  coveredFields,
  type ReceiptFields,
  receiptCanonicalJson,
} from "../../shared/receipts/receipt-digest";

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

describe("a receipt's canonical form", () => {
  const base: ReceiptFields = {
    tenant: "ten_01",
    seq: 7,
    id: `rcpt_${"a".repeat(64)}`,
    kind: "import.committed",
    actor: "api_key:key_01",
    subject: "import:imp_01",
    inputDigest: "b".repeat(64),
    outputDigest: null,
    decisionId: "dec_01",
    links: ["evt_1", "dec_01"],
    details: { rows: 3, é: 1, Z: [0.1, 1e21, -0], "10": "x", "2": { b: 1, a: null } },
    occurredAt: "2026-12-01T10:00:00.000Z",
  };
  const general = (r: ReceiptFields) => canonicalJson(coveredFields(r));
  const variants: [string, Partial<ReceiptFields>][] = [
    ["plain", {}],
    ["escapes, non-ASCII and emoji in strings", { subject: 'q:"\\\n\t\u0001 é € 😀', kind: "\u2028x" }],
    ["an output digest and no decision", { outputDigest: "c".repeat(64), decisionId: null }],
    ["a large seq", { seq: 2 ** 40 }],
    ["a seq of the wrong type", { seq: "7" as unknown as number }],
    ["a kind of the wrong type", { kind: 12 as unknown as string }],
    ["members beyond the covered fields", { ...({ proof: [1] } as object) }],
  ];

  it.each(variants)("%s: written directly, the same bytes as the general canonicalizer", (_, change) => {
    const r = { ...base, ...change };
    expect(receiptCanonicalJson(r)).toBe(general(r));
  });

  it("refuses a lone surrogate as the general canonicalizer does", () => {
    expect(() => receiptCanonicalJson({ ...base, subject: "x\uD800" })).toThrow(/canonical/);
  });
});
