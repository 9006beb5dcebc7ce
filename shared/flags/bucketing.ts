/**
 * Sticky bucketing exactly as Unleash's gradual rollout and variant distribution:
 *
 * - a rollout bucket is `murmur3("groupId:stickinessValue", 0) % 100 + 1` (1..100), and the
 *   value is in a P% rollout when P > 0 and its bucket ≤ P. Raising P keeps everyone who was
 *   in: the bucket never changes, only the threshold.
 * - a variant is picked by `murmur3("groupId:stickinessValue", 86028157) % totalWeight + 1`,
 *   walking the variants in order and taking the first whose running weight reaches it.
 *
 * The different seed for variants keeps a value's variant independent of its rollout bucket.
 */
import { murmur3x86Hash32 } from "./murmur3";

/** Unleash's seed for variant hashing (`VARIANT_SEED` in its SDKs). */
export const variantSeed = 86028157;

/** `murmur3("groupId:id", seed) % normalizer + 1`. */
export function normalizedValue(id: string, groupId: string, normalizer: number, seed = 0): number {
  return (murmur3x86Hash32(`${groupId}:${id}`, seed) % normalizer) + 1;
}

/** The 1..100 rollout bucket of a stickiness value within a group. */
export const rolloutBucket = (id: string, groupId: string): number => normalizedValue(id, groupId, 100);

/** Whether a stickiness value is inside a `percentage` rollout of the group. */
export const inRollout = (id: string, groupId: string, percentage: number): boolean =>
  percentage > 0 && rolloutBucket(id, groupId) <= percentage;

export interface WeightedVariant {
  name: string;
  weight: number;
}

/** The variant a stickiness value gets among weighted variants, as Unleash distributes them. */
export function pickVariant<V extends WeightedVariant>(
  id: string,
  groupId: string,
  variants: readonly V[],
): V | undefined {
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  if (total <= 0) return undefined;
  const target = normalizedValue(id, groupId, total, variantSeed);
  let counter = 0;
  for (const variant of variants) {
    if (variant.weight === 0) continue;
    counter += variant.weight;
    if (counter >= target) return variant;
  }
  return undefined;
}
