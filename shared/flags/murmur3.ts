/**
 * MurmurHash3, x86 32-bit variant, over the UTF-8 bytes of a string: the hash Unleash's
 * gradual rollout buckets with. For ASCII (every id Switchboard issues) it equals the
 * `murmurhash3js` result the Node SDK uses; for other text it is the reference algorithm.
 */
const encoder = new TextEncoder();

const c1 = 0xcc9e2d51;
const c2 = 0x1b873593;

function mixK(k: number): number {
  let k1 = Math.imul(k, c1);
  k1 = (k1 << 15) | (k1 >>> 17);
  return Math.imul(k1, c2);
}

/** Unsigned 32-bit hash of `input` with `seed`. */
export function murmur3x86Hash32(input: string, seed = 0): number {
  const data = encoder.encode(input);
  const length = data.length;
  const blocks = length >>> 2;
  let h1 = seed >>> 0;
  for (let i = 0; i < blocks; i++) {
    const o = i * 4;
    const k =
      (data[o] ?? 0) | ((data[o + 1] ?? 0) << 8) | ((data[o + 2] ?? 0) << 16) | ((data[o + 3] ?? 0) << 24);
    h1 ^= mixK(k);
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
  }
  const tail = blocks * 4;
  let k1 = 0;
  const rest = length & 3;
  if (rest === 3) k1 ^= (data[tail + 2] ?? 0) << 16;
  if (rest >= 2) k1 ^= (data[tail + 1] ?? 0) << 8;
  if (rest >= 1) {
    k1 ^= data[tail] ?? 0;
    h1 ^= mixK(k1);
  }
  h1 ^= length;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  return h1 >>> 0;
}
