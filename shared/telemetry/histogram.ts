/**
 * Latency histograms with log buckets, four per doubling: bucket i holds latencies in
 * (2^((i-1)/4), 2^(i/4)] ms (bucket 0: ≤ 1 ms; the last, 80: everything above ~1,048 s).
 * A quantile is read as the geometric middle of its bucket, so the value read is within
 * ±9.1% (2^(1/8) − 1) of some latency in that bucket: the error of p50/p95/p99 is at most
 * that, relative, plus the rank's own granularity. Sparse: `{ "<bucket>": count }`.
 */
export type Histogram = Record<string, number>;

export const bucketsPerDoubling = 4;
export const lastBucket = 80;
/** The relative error bound of a quantile read from a bucket's geometric middle. */
export const quantileRelativeError = 2 ** (1 / (2 * bucketsPerDoubling)) - 1;

export function bucketOf(ms: number): number {
  if (!(ms > 1)) return 0;
  return Math.min(lastBucket, Math.ceil(bucketsPerDoubling * Math.log2(ms)));
}

/** The geometric middle of a bucket's bounds, in ms. */
export function bucketValue(bucket: number): number {
  if (bucket <= 0) return 1;
  return 2 ** ((bucket - 0.5) / bucketsPerDoubling);
}

export function addTo(histogram: Histogram, ms: number, n = 1): void {
  const key = String(bucketOf(ms));
  histogram[key] = (histogram[key] ?? 0) + n;
}

export function merge(into: Histogram, from: Histogram): Histogram {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
  return into;
}

/** The q-quantile (0 < q ≤ 1) by nearest rank, read as its bucket's middle; null when empty. */
export function quantile(histogram: Histogram, q: number): number | null {
  const entries = Object.entries(histogram)
    .map(([k, n]) => [Number(k), n] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [bucket, n] of entries) {
    seen += n;
    if (seen >= rank) return Math.round(bucketValue(bucket) * 1000) / 1000;
  }
  return null;
}
