import { describe, expect, it } from "vitest";
import {
  addTo,
  bucketOf,
  type Histogram,
  merge,
  quantile,
  quantileRelativeError,
} from "../../shared/telemetry/histogram";

/** Exact nearest-rank quantile of a sorted list. */
const exact = (sorted: number[], q: number) =>
  sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] as number;

describe("latency histogram", () => {
  it("reads p50/p95/p99 within the documented relative error of the exact values", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (const spread of [5, 50, 2000]) {
      const samples = Array.from({ length: 5000 }, () => 1.5 + random() ** 3 * spread);
      const h: Histogram = {};
      for (const ms of samples) addTo(h, ms);
      const sorted = [...samples].sort((a, b) => a - b);
      for (const q of [0.5, 0.95, 0.99]) {
        const read = quantile(h, q) as number;
        const truth = exact(sorted, q);
        expect(Math.abs(read - truth) / truth, `spread ${spread} q ${q}`).toBeLessThanOrEqual(
          quantileRelativeError + 1e-9,
        );
      }
    }
    expect(quantileRelativeError).toBeCloseTo(0.0905, 3);
  });

  it("merges by adding bucket counts; an empty histogram has no quantile", () => {
    const a: Histogram = {};
    const b: Histogram = {};
    addTo(a, 10);
    addTo(b, 10);
    addTo(b, 1000);
    expect(merge(a, b)).toEqual({ [String(bucketOf(10))]: 2, [String(bucketOf(1000))]: 1 });
    expect(quantile({}, 0.5)).toBeNull();
    expect(bucketOf(0.2)).toBe(0);
  });
});
