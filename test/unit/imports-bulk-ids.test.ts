import { describe, expect, it } from "vitest";
import { newIds } from "../../shared/imports/state/sql";

describe("ids for bulk writes", () => {
  it("are shaped like every other id, unique, and ordered by the time they were made", () => {
    const first = newIds("inc", 5_000, Date.parse("2026-12-01T10:00:00Z"));
    const later = newIds("inc", 10, Date.parse("2026-12-01T10:00:01Z"));
    for (const id of [...first, ...later]) expect(id).toMatch(/^inc_[0-9a-hjkmnp-tv-z]{20}$/);
    expect(new Set(first).size).toBe(5_000);
    const newestEarlier = [...first].sort().at(-1) ?? "";
    expect(later.every((id) => id > newestEarlier)).toBe(true);
  });
});
