import { describe, expect, it } from "vitest";
import { KeyIndex } from "../../shared/imports/read/key-index";

describe("KeyIndex: natural key → first row for a whole file", () => {
  it("keeps the first row of each key and tells unknown keys apart, across growth", () => {
    const index = new KeyIndex();
    const keys = Array.from({ length: 50_000 }, (_, i) => `Q${i.toString(36).padStart(13, "0")}`);
    expect(keys.every((key, row) => index.add(key, row + 2) === undefined)).toBe(true);
    // A later duplicate answers the first row and does not replace it.
    expect(keys.every((key, row) => index.add(key, 999_999) === row + 2)).toBe(true);
    expect(index.size).toBe(50_000);
    expect(keys.every((key, row) => index.get(key) === row + 2)).toBe(true);
    expect(index.get("Q-not-given")).toBeUndefined();
    expect(index.has(`${keys[10]} `)).toBe(false);
    expect(index.has("")).toBe(false);
    index.add("", 7);
    expect(index.get("")).toBe(7);
  });

  it("keeps every key when sized ahead, whether the estimate falls short or was generous", () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `inc-${i}`);
    for (const estimate of [1_000, 20_000, 1_000_000]) {
      const index = new KeyIndex();
      index.add(keys[0] as string, 0);
      index.reserve(estimate);
      expect(keys.every((key, row) => row === 0 || index.add(key, row) === undefined)).toBe(true);
      expect(index.size).toBe(keys.length);
      expect(keys.every((key, row) => index.get(key) === row)).toBe(true);
      expect(index.has("inc-20000")).toBe(false);
    }
  });

  it("tells apart keys that differ only in order, case or one character", () => {
    const index = new KeyIndex();
    const keys = ["ab", "ba", "AB", "a b", "alice@example.com", "alice@example.co", "élodie", "elodie"];
    for (const [row, key] of keys.entries()) index.add(key, row);
    expect(keys.map((key) => index.get(key))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
